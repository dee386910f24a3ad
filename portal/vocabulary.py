"""The council's own words on the case record (issue 10), without the case record depending on the
procedure packs that hold them (issue 15).

The lists (placement purposes, legal orders, council roles and team kinds, terms) live in each pack, in
the workflows app. Portal must not import workflows, so workflows registers a provider here when it
starts (``WorkflowsConfig.ready``) and portal asks the provider. With no provider (portal on its own),
the record has no council words: built-in roles and kinds only, and the default lists are empty.
"""

from __future__ import annotations

from typing import Any, Protocol


class Vocabulary(Protocol):
    def lists_for_child(self, child: Any) -> tuple[Any, dict[str, list[tuple[str, str]]]]:
        """(the child's pack or the installation's, that pack's lists by kind)."""

    def council_team_kinds(self) -> list[tuple[str, str]]:
        """(key, label naming its pack) of every council team kind, each key once."""

    def role_label(self, key: str) -> str: ...

    def role_permission_set(self, key: str) -> str: ...

    def team_kind_behaves_as(self, key: str) -> str: ...

    def terms(self) -> dict[str, str]: ...


class _NoCouncilWords:
    def lists_for_child(self, child: Any) -> tuple[Any, dict[str, list[tuple[str, str]]]]:
        return None, {}

    def council_team_kinds(self) -> list[tuple[str, str]]:
        return []

    def role_label(self, key: str) -> str:
        return ""

    def role_permission_set(self, key: str) -> str:
        return ""

    def team_kind_behaves_as(self, key: str) -> str:
        return ""

    def terms(self) -> dict[str, str]:
        return {}


_provider: Vocabulary = _NoCouncilWords()


def vocabulary_register(provider: Vocabulary) -> None:
    global _provider
    _provider = provider


def vocabulary() -> Vocabulary:
    return _provider
