"""The lock files match pyproject.toml and every package in them is hash-checked (issue 11, dependencies).

After changing a pin in pyproject.toml, run `make lock`; these tests say when that was forgotten.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(lines: list[str]) -> dict[str, str]:
    return {_key(m.group(1)): m.group(2) for line in lines if (m := PIN.match(line.strip()))}


def _lock(name: str) -> tuple[dict[str, str], str]:
    text = (ROOT / name).read_text()
    return _pins(text.splitlines()), text


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _unlocked(declared: dict[str, str], locked: dict[str, str]) -> dict[str, tuple[str, str | None]]:
    return {
        name: (version, locked.get(name)) for name, version in declared.items() if locked.get(name) != version
    }


def test_every_pinned_dependency_is_locked_at_its_pinned_version():
    runtime = _pins(_project()["dependencies"])
    test_tools = _pins(_project()["optional-dependencies"]["test"])
    production, _ = _lock("requirements.lock")
    ci, _ = _lock("requirements-test.lock")
    assert _unlocked(runtime, production) == {}, "run `make lock`"
    assert _unlocked({**runtime, **test_tools}, ci) == {}, "run `make lock`"


def test_ci_installs_the_same_versions_as_production_plus_the_test_tools():
    production, _ = _lock("requirements.lock")
    ci, _ = _lock("requirements-test.lock")
    assert {name: ci.get(name) for name in production} == production
    assert not set(_pins(_project()["optional-dependencies"]["test"])) & set(production)


def test_every_locked_package_carries_hashes():
    for name in ("requirements.lock", "requirements-test.lock"):
        pins, text = _lock(name)
        blocks = re.split(r"\n(?=[A-Za-z0-9])", text.strip())
        assert len(pins) > 10 and {_key(PIN.match(block).group(1)) for block in blocks} == set(pins)
        assert [block.split()[0] for block in blocks if "--hash=sha256:" not in block] == []
