"""Worker pages: start a form, fill it in (with autosave), submit, read and print it."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from portal.models import Placement
from portal.redirects import safe_next
from portal.selectors import user_is_read_only

from .answers import display_sections
from .choices import FieldType, FormKind
from .forms import SubmissionForm
from .models import FormSubmission
from .rendering import sections_for
from .selectors import (
    child_for_form,
    drafts_for_user,
    published_definition,
    subject_for_user,
    submission_get_for_user,
)
from .services import (
    DraftTooLong,
    StaleDraft,
    SubmissionNotEditable,
    submission_form,
    submission_save_draft,
    submission_start,
    submission_submit,
    submission_write_refusal,
)
from .signals import SubmissionForbidden


def _version(request: HttpRequest) -> int:
    """The version the page started from; anything that is not a small number is stale (0)."""
    raw = str(request.POST.get("version", ""))
    return int(raw) if re.fullmatch(r"[0-9]{1,9}", raw) else 0


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, key: str) -> HttpResponse:
    """Start (or return to) a draft of a published form for a child the user works with."""
    if user_is_read_only(request.user):
        raise PermissionDenied("Your role can read every record but not start a form.")
    params = request.POST if request.method == "POST" else request.GET
    definition = published_definition(key=key)
    subject = str(params.get("subject", ""))[:100]
    child = child_for_form(user=request.user, pk=params.get("child"), subject=subject)
    placement = None
    if params.get("placement"):
        if not re.fullmatch(r"[0-9]{1,18}", str(params["placement"])):
            raise Http404("No such placement")
        try:
            placement = Placement.objects.get(pk=int(params["placement"]), child=child)
        except Placement.DoesNotExist as exc:
            raise Http404("No such placement") from exc
    submission = submission_start(
        definition=definition,
        child=child,
        placement=placement,
        by=request.user,
        subject_reference=subject,
        return_url=safe_next(request, str(params.get("next", ""))),
        meeting=subject_for_user(user=request.user, reference=subject),
    )
    return redirect("forms_builder:edit", pk=submission.pk)


def _render_edit(
    request: HttpRequest,
    submission: FormSubmission,
    form: SubmissionForm,
    *,
    version: int,
    errors: list[tuple[str, str]] | None = None,
    add_row: str = "",
    conflict: StaleDraft | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "forms_builder/edit.html",
        {
            "submission": submission,
            "definition": submission.version_definition,
            "is_minutes": submission.version_definition.kind == FormKind.MINUTES,
            "form": form,
            "sections": sections_for(form, add_row=add_row),
            "version": version,
            "errors": errors or [],
            "conflict": conflict,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_get_for_user(user=request.user, pk=pk, for_edit=True)
    if not submission.is_draft:
        return redirect("forms_builder:view", pk=submission.pk)
    refusal = submission_write_refusal(
        definition_key=submission.definition.key,
        child=submission.child,
        subject_reference=submission.subject_reference,
        by=request.user,
        step="save",
    )
    if refusal:  # e.g. a draft of minutes by someone who is not the chair or minute taker
        raise SubmissionForbidden(refusal)
    if request.method == "GET":
        form = submission_form(submission=submission)
        return _render_edit(
            request, submission, form, version=submission.version, add_row=request.GET.get("add", "")
        )

    post = request.POST.copy()
    remove = post.get("remove_row", "")
    if remove:
        post[f"{remove}-DELETE"] = "1"
    form = submission_form(submission=submission, data=post, files=request.FILES)
    raw = form.raw_values()
    expected = _version(request)
    try:
        if "submit" in post:
            result = submission_submit(
                submission=submission,
                data=raw,
                files=request.FILES,
                expected_version=expected,
                by=request.user,
            )
            if result.ok:
                messages.success(request, f"“{submission.version_definition.title}” has been submitted.")
                return redirect(
                    safe_next(request, submission.return_url) or reverse("forms_builder:view", args=[pk])
                )
            return _render_edit(
                request,
                result.submission,
                result.form,
                version=result.submission.version,
                errors=result.errors,
            )
        saved = submission_save_draft(
            submission=submission, data=raw, files=request.FILES, expected_version=expected, by=request.user
        )
    except StaleDraft as conflict:
        return _render_edit(
            request, conflict.submission, form, version=conflict.current_version, conflict=conflict
        )
    except DraftTooLong as too_long:
        return _render_edit(request, submission, form, version=expected, errors=too_long.errors, status=400)
    except SubmissionNotEditable as exc:
        messages.error(request, str(exc))
        return redirect("forms_builder:view", pk=pk)
    if saved.upload_errors:
        return _render_edit(request, saved, form, version=saved.version, errors=saved.upload_errors)
    groups = {f.key for f in saved.spec.fields() if f.type == FieldType.REPEATING_GROUP}
    add_row = post.get("add_row", "")
    if add_row in groups:
        return redirect(f"{reverse('forms_builder:edit', args=[pk])}?add={add_row}#field-{add_row}")
    if remove and remove.rsplit("-", 1)[0] in groups:
        return redirect(f"{reverse('forms_builder:edit', args=[pk])}#field-{remove.rsplit('-', 1)[0]}")
    messages.success(
        request, f"Draft saved at {timezone.localtime():%H:%M}. You can come back to it from My drafts."
    )
    return redirect("forms_builder:edit", pk=pk)


@login_required
@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Called by forms.js as the worker types: saves the draft, returns the new version."""
    submission = submission_get_for_user(user=request.user, pk=pk, for_edit=True)
    form = submission_form(submission=submission, data=request.POST)
    try:
        saved = submission_save_draft(
            submission=submission, data=form.raw_values(), expected_version=_version(request), by=request.user
        )
    except StaleDraft as conflict:
        return JsonResponse(
            {"ok": False, "conflict": True, "message": str(conflict), "version": conflict.current_version},
            status=409,
        )
    except SubmissionNotEditable as exc:
        return JsonResponse({"ok": False, "conflict": False, "message": str(exc)}, status=409)
    except SubmissionForbidden as exc:
        return JsonResponse({"ok": False, "conflict": False, "message": str(exc)}, status=403)
    except DraftTooLong as exc:
        return JsonResponse(
            {"ok": False, "conflict": False, "too_long": True, "message": str(exc)}, status=400
        )
    return JsonResponse(
        {
            "ok": True,
            "version": saved.version,
            "saved_at": timezone.localtime(saved.updated_at).strftime("%H:%M:%S"),
        }
    )


def _read_context(submission: FormSubmission) -> dict:
    definition = submission.version_definition
    return {
        "submission": submission,
        "definition": definition,
        "is_minutes": definition.kind == FormKind.MINUTES,
        "sections": display_sections(submission.spec, submission.data),
    }


@login_required
def view(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_get_for_user(user=request.user, pk=pk)
    context = _read_context(submission) | {
        "can_edit": submission.can_edit(request.user),
        "revise_url": _revise_url(request, submission),
    }
    return render(request, "forms_builder/view.html", context)


def _revise_url(request: HttpRequest, submission: FormSubmission) -> str:
    """Submitted minutes can be revised (a new draft from these answers) while the subject still takes
    them and by those who may write them: the same check the services make."""
    if submission.is_draft or not submission.subject_reference or user_is_read_only(request.user):
        return ""
    if submission.version_definition.kind != FormKind.MINUTES:
        return ""
    refusal = submission_write_refusal(
        definition_key=submission.definition.key,
        child=submission.child,
        subject_reference=submission.subject_reference,
        by=request.user,
    )
    if refusal:
        return ""
    query = {"child": submission.child_id, "subject": submission.subject_reference}
    if submission.placement_id:
        query["placement"] = submission.placement_id
    if submission.return_url:
        query["next"] = submission.return_url
    return f"{reverse('forms_builder:start', args=[submission.definition.key])}?{urlencode(query)}"


@login_required
def print_view(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_get_for_user(user=request.user, pk=pk)
    return render(request, "forms_builder/print.html", _read_context(submission))


@login_required
def download(request: HttpRequest, pk: int, key: str) -> FileResponse:
    """An uploaded file, for the people who may read the submission."""
    submission = submission_get_for_user(user=request.user, pk=pk)
    value = (submission.data or {}).get(key)
    if not isinstance(value, dict) or not value.get("path"):
        raise Http404("No such file")
    try:
        handle = default_storage.open(value["path"], "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("No such file") from exc
    # Always a download, never rendered by the browser (whatever the file turns out to contain).
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=value.get("name") or "upload",
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def drafts(request: HttpRequest) -> HttpResponse:
    return render(request, "forms_builder/drafts.html", {"drafts": drafts_for_user(user=request.user)})
