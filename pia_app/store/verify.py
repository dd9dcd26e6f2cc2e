"""Check that the stored record is what was written: the audit hash chain and frozen revisions.

`pia-app verify` runs this. The audit log is append-only (triggers), but someone with the file
and an SQLite shell can drop a trigger; the hash chain makes such an edit visible afterwards:
each entry carries the SHA-256 of its own fields and of the entry before it, so changing,
inserting or deleting an entry breaks the chain from that point on. (Removing entries from the
very end leaves a shorter valid chain; an exported copy with `--history` keeps the longer one.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pia_app.canonical import content_hash
from pia_app.i18n import t
from pia_app.store.repository import GENESIS_HASH, Repository, audit_entry_hash


@dataclass(frozen=True)
class Problem:
    """One thing that does not add up; `key` is a locale message key."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


@dataclass(frozen=True)
class VerifyResult:
    entries: int
    approved: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_chain(rows: list[dict[str, Any]]) -> list[Problem]:
    """Problems of an audit chain given as stored rows (oldest first)."""
    problems: list[Problem] = []
    prev = GENESIS_HASH
    for row in rows:
        if row["prev_hash"] != prev:
            problems.append(Problem("verify.chain_broken", {"entry": row.get("id")}))
        if audit_entry_hash(row) != row["hash"]:
            problems.append(Problem("verify.entry_altered", {"entry": row.get("id")}))
        prev = row["hash"]
    return problems


def verify(repo: Repository) -> VerifyResult:
    """Check the whole database: audit chain, approved revisions' hashes, imported entries."""
    with repo.read_snapshot():
        return _verify(repo)


def _verify(repo: Repository) -> VerifyResult:
    rows = repo.audit_rows()
    problems = check_chain(rows)
    approved = 0
    for summary in repo.list_assessments(include_archived=True):
        for rev in repo.revisions(summary.id):
            if rev.status != "approved":
                continue
            approved += 1
            actual = content_hash(summary.form_id, summary.form_version, rev.answers)
            if rev.content_hash != actual:
                problems.append(
                    Problem("verify.revision_altered", {"id": summary.id, "revision": rev.number})
                )
        for pos, entry in enumerate(repo.imported_audit(summary.id), start=1):
            if audit_entry_hash(entry) != entry.get("hash"):
                problems.append(Problem("verify.imported_altered", {"id": summary.id, "entry": pos}))
    return VerifyResult(entries=len(rows), approved=approved, problems=problems)
