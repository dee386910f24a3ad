"""A pack file's meeting type checked against `MeetingType`'s own fields: which fields are policy, each
value normalised (rule lists through their Wagtail blocks, choices, lengths) and every problem named by its
JSON path, e.g. `meeting_types[0].timing[0].latest`. Used by `workflows.packs`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.fields import StreamField

from .models import MeetingType
from .policy_validation import policy_problems

NOT_POLICY = {
    "id",
    "locked",
    "locked_at",
    "locked_by",
    "pack",
    "code",
    "procedure_page",
    "latest_revision",
    "live",
    "has_unpublished_changes",
    "first_published_at",
    "last_published_at",
    "live_revision",
    "go_live_at",
    "expire_at",
    "expired",
}
POLICY_FIELDS: list[models.Field] = [f for f in MeetingType._meta.concrete_fields if f.name not in NOT_POLICY]
FIELD_BY_NAME = {f.name: f for f in POLICY_FIELDS}


def block_error_messages(exc: Exception) -> list[str]:
    if isinstance(exc, StructBlockValidationError):
        out = []
        for name, err in exc.block_errors.items():
            for m in block_error_messages(err):
                out.append(
                    f"{name}{m}" if m.startswith("[") else f"{name}.{m}" if ":" in m else f"{name}: {m}"
                )
        for err in getattr(exc, "non_block_errors", None) or []:
            out += block_error_messages(err)
        return out or [str(exc)]
    if isinstance(exc, ListBlockValidationError):
        out = []
        for index, err in (exc.block_errors or {}).items():
            out += [f"[{index}].{m}" if ":" in m else f"[{index}]: {m}" for m in block_error_messages(err)]
        for err in getattr(exc, "non_block_errors", None) or []:
            out += block_error_messages(err)
        return out or [str(exc)]
    if isinstance(exc, StreamBlockValidationError):
        return [m for err in exc.block_errors.values() for m in block_error_messages(err)] or [str(exc)]
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def stream_block(field: StreamField):
    [(name, block)] = list(field.stream_block.child_blocks.items())
    return name, block


def normalise_stream(field: StreamField, items: Any, path: str, errors: list[str]) -> list[dict]:
    if not isinstance(items, list):
        errors.append(f"{path}: must be a list.")
        return []
    name, block = stream_block(field)
    known = set(block.child_blocks)
    out = []
    for i, item in enumerate(items):
        item_path = f"{path}[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{item_path}: must be an object with {', '.join(sorted(known))}.")
            continue
        unknown = set(item) - known
        if unknown:
            errors.append(f"{item_path}: unknown key(s) {', '.join(sorted(unknown))}.")
            continue
        try:
            value = block.clean(block.to_python(item))
        except Exception as exc:
            errors += [
                f"{item_path}.{m}" if ":" in m else f"{item_path}: {m}" for m in block_error_messages(exc)
            ]
            continue
        out.append({"type": name, "value": block.get_prep_value(value)})
    return out


def normalise_scalar(field: models.Field, value: Any, path: str, errors: list[str]) -> Any:
    if value is None:
        if not field.null:
            errors.append(f"{path}: cannot be empty.")
        return None
    if isinstance(field, models.JSONField) and field.name == "rule_references":
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            errors.append(f'{path}: must be an object of topic: reference, e.g. {{"request": "P1"}}.')
        return value
    if isinstance(field, models.JSONField):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(f"{path}: must be a list of codes.")
        return value
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            errors.append(f"{path}: must be true or false.")
        return value
    if isinstance(field, models.PositiveIntegerField):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors.append(f"{path}: must be a whole number of days, 0 or more.")
        return value
    if not isinstance(value, str):
        errors.append(f"{path}: must be text.")
        return value
    if field.choices and value not in {c[0] for c in field.choices} and not (field.blank and value == ""):
        errors.append(f"{path}: '{value}' is not one of {', '.join(str(c[0]) for c in field.choices)}.")
    if getattr(field, "max_length", None) and len(value) > field.max_length:
        errors.append(f"{path}: longer than {field.max_length} characters.")
    return value


def policy_defaults() -> dict[str, Any]:
    out = {}
    for f in POLICY_FIELDS:
        default = f.get_default()
        out[f.name] = [] if isinstance(f, StreamField) else default
    return out


def normalise_meeting_type(
    data: Any, path: str, errors: list[str], settings_keys: set[str]
) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        errors.append(f"{path}: must be an object.")
        return None
    before = len(errors)
    code = data.get("code")
    if not isinstance(code, str) or not code.strip():
        errors.append(f"{path}.code: give a short code such as PSM.")
    if not isinstance(data.get("name"), str) or not data.get("name", "").strip():
        errors.append(f"{path}.name: give the meeting type's name.")
    unknown = set(data) - set(FIELD_BY_NAME) - {"code", "procedure"}
    for key in sorted(unknown):
        errors.append(f"{path}.{key}: unknown setting.")
    values = policy_defaults()
    for key, value in data.items():
        field = FIELD_BY_NAME.get(key)
        if field is None:
            continue
        if isinstance(field, StreamField):
            values[key] = normalise_stream(field, value, f"{path}.{key}", errors)
        else:
            values[key] = normalise_scalar(field, value, f"{path}.{key}", errors)
    if len(errors) > before:
        return None
    candidate = MeetingType(code=code, **values)
    for field_name, message in policy_problems(candidate, settings_keys=settings_keys).items():
        errors.append(f"{path}.{field_name}: {message}")
    if len(errors) > before:
        return None
    return {"code": code, "procedure": data.get("procedure"), "values": values}
