"""Separation of duties: flag (never forbid) one person holding several of author, reviewer and
approver of a revision.

A small organisation may have one privacy officer who writes, reviews and signs; the report and
the approval step say so, so a reader knows the review was not independent. Names are compared
after trimming and case-folding. The reviewer side includes whoever evaluated a section; the
approver side includes whoever actually signed (`approved_by`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

CHECKED_ROLES = ("author", "reviewer", "approver")


@dataclass(frozen=True)
class DutyConflict:
    name: str
    roles: tuple[str, ...]
    """Two or more of CHECKED_ROLES, in that order."""

    @property
    def all_three(self) -> bool:
        return len(self.roles) == len(CHECKED_ROLES)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def duty_conflicts(
    roles: Mapping[str, Sequence[str]],
    evaluators: Iterable[str] = (),
    approved_by: str | None = None,
) -> list[DutyConflict]:
    """People holding two or more of author / reviewer / approver, in order of first mention."""
    holders: dict[str, list[str]] = {r: list(roles.get(r, ())) for r in CHECKED_ROLES}
    holders["reviewer"] += list(evaluators)
    if approved_by:
        holders["approver"].append(approved_by)
    shown: dict[str, str] = {}
    held: dict[str, set[str]] = {}
    for role in CHECKED_ROLES:
        for name in holders[role]:
            if not name.strip():
                continue
            key = _key(name)
            shown.setdefault(key, name.strip())
            held.setdefault(key, set()).add(role)
    return [
        DutyConflict(shown[key], tuple(r for r in CHECKED_ROLES if r in got))
        for key, got in held.items()
        if len(got) >= 2
    ]
