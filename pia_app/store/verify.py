"""Check that the stored record is what was written: the audit hash chain, and every stored
assessment and revision against what the chain says about it.

`pia-app verify` runs this. The audit log is append-only (triggers), but someone with the file
and an SQLite shell can drop a trigger; the hash chain makes such an edit visible afterwards:
each entry carries the SHA-256 of its own fields and of the entry before it, so changing,
inserting or deleting an entry breaks the chain from that point on.

Beyond the chain, the trail is compared with the tables (store/audit.py records the state of
every revision an entry creates, changes or approves):
- every assessment the trail says exists (created, imported or sealed, not deleted) must be in
  the table under the same uid, and every assessment in the table must have such a trail (so a
  DELETE, an INSERT or a changed uid is reported);
- every stored revision must be one the trail created, none may be missing, and each one's
  status, recomputed content hash and approval details (who, role, when) must equal the state
  the newest entry about it recorded (so editing a draft, an in-review or an approved revision,
  even together with its stored hash, is reported).

What this cannot see on its own: entries removed from the very end of the chain when they
recorded no state (e.g. the last "exported" entry), and a chain rewritten from some point on by
someone who recomputes every hash (the algorithm is public). The chain head (`chain_head`: the
newest hash and the entry count) written down elsewhere is the anchor that catches both:
`check_anchor` (`pia-app verify --head HASH`) finds it in the chain or reports it missing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pia_app.canonical import content_hash
from pia_app.i18n import t
from pia_app.store import audit
from pia_app.store.repository import Repository

LIFECYCLE = {"created": True, "imported": True, "sealed": True, "deleted": False}
"""Actions that make an assessment exist (True) or not (False) according to the trail."""


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
    head: str = audit.GENESIS_HASH
    """The newest entry's hash: with `entries`, the anchor to write down."""
    assessments: int = 0
    revisions: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_chain(rows: list[dict[str, Any]]) -> list[Problem]:
    """Problems of an audit chain given as stored rows (oldest first)."""
    problems: list[Problem] = []
    prev = audit.GENESIS_HASH
    for row in rows:
        if row["prev_hash"] != prev:
            problems.append(Problem("verify.chain_broken", {"entry": row.get("id")}))
        legacy_scrubbed = row.get("scrubbed_at") and row.get("detail_hash") is None
        if not legacy_scrubbed and not audit.entry_hash_ok(row):
            # (a scheme-1 entry hashed its content itself: once scrubbed, only its place in the
            # chain can be checked, by the next entry's prev_hash)
            problems.append(Problem("verify.entry_altered", {"entry": row.get("id")}))
        prev = row["hash"]
    return problems


def check_guards(repo: Repository) -> list[Problem]:
    """The database's own guards (append-only audit log, frozen approved revisions): each
    trigger the migrations create must be there, unchanged."""
    from pia_app.store import db as dbmod
    from pia_app.store.migrations import user_version

    with dbmod.environment_errors(repo.path):  # undecodable trigger text: a damaged file
        want = {r[1]: r[3] for r in dbmod.schema_at(user_version(repo.db)) if r[0] == "trigger"}
        have = {r[1]: r[3] for r in dbmod.schema_of(repo.db.conn, ("trigger",))}
    return [
        Problem("verify.guard_missing", {"name": name})
        for name in sorted(want)
        if have.get(name) != want[name]
    ]


def check_anchor(rows: list[dict[str, Any]], anchor: str) -> Problem | None:
    """None when `anchor` (a chain head written down earlier) is an entry of this chain."""
    want = anchor.strip().lower()
    if any(row["hash"] == want for row in rows):
        return None
    return Problem("verify.anchor_missing", {"hash": want})


def anchor_position(rows: list[dict[str, Any]], anchor: str) -> int | None:
    """1-based position of the entry whose hash is `anchor`, or None."""
    want = anchor.strip().lower()
    return next((i for i, row in enumerate(rows, start=1) if row["hash"] == want), None)


@dataclass
class _Trail:
    """What the audit trail says about one assessment uid."""

    exists: bool = False
    title: str = ""
    scrubbed: list[int] = field(default_factory=list)
    """Ids of entries scrubbed (legitimate only once the assessment is deleted)."""
    states: dict[int, dict[str, Any]] = field(default_factory=dict)


def read_trail(rows: list[dict[str, Any]]) -> dict[str, _Trail]:
    trails: dict[str, _Trail] = {}
    for row in rows:
        trail = trails.setdefault(str(row["assessment_uid"]), _Trail())
        detail = audit.decode_detail(row)
        action = row["action"]
        if row.get("scrubbed_at"):
            trail.scrubbed.append(row["id"])
        if action in LIFECYCLE:
            trail.exists = LIFECYCLE[action]
        if isinstance(detail.get("title"), str) and detail["title"]:
            trail.title = detail["title"]
        states = list(detail.get(audit.STATES_KEY) or [])
        if isinstance(detail.get(audit.STATE_KEY), Mapping):
            states.append(detail[audit.STATE_KEY])
        for state in states:
            if isinstance(state, Mapping) and isinstance(state.get("number"), int):
                trail.states[state["number"]] = dict(state)
    return trails


def verify(repo: Repository, anchor: str | None = None) -> VerifyResult:
    """Check the whole database (and, given one, that the anchor is in the chain)."""
    with repo.read_snapshot():
        return _verify(repo, anchor)


def _verify(repo: Repository, anchor: str | None) -> VerifyResult:
    rows = repo.audit_rows()
    problems = check_chain(rows)
    problems.extend(check_guards(repo))
    if anchor is not None:
        missing = check_anchor(rows, anchor)
        if missing is not None:
            problems.append(missing)
    trails = read_trail(rows)
    approved = revisions = 0
    summaries = repo.list_assessments(include_archived=True)
    stored_uids = {s.uid for s in summaries}
    for uid, told in trails.items():
        if told.exists and uid not in stored_uids:
            problems.append(Problem("verify.assessment_missing", {"uid": uid, "title": told.title}))
        if told.scrubbed and (told.exists or uid in stored_uids):
            problems.append(Problem("verify.scrubbed_not_deleted", {"entry": told.scrubbed[0], "uid": uid}))
    for summary in summaries:
        trail = trails.get(summary.uid)
        if trail is None or not trail.exists:
            problems.append(Problem("verify.assessment_untracked", {"id": summary.id, "uid": summary.uid}))
            continue
        rows_by_number = {}
        for raw in repo.revision_rows(summary.id):
            if not isinstance(raw["number"], int) or not isinstance(raw["answers"], str):
                problems.append(
                    Problem("verify.revision_damaged", {"id": summary.id, "revision": raw["number"]})
                )
                continue
            rows_by_number[raw["number"]] = raw
        revisions += len(rows_by_number)
        for number in sorted(set(trail.states) - set(rows_by_number)):
            problems.append(Problem("verify.revision_missing", {"id": summary.id, "revision": number}))
        for number in sorted(set(rows_by_number) - set(trail.states)):
            problems.append(Problem("verify.revision_untracked", {"id": summary.id, "revision": number}))
        for number in sorted(set(rows_by_number) & set(trail.states)):
            raw = rows_by_number[number]
            if raw["status"] == "approved":
                approved += 1
            problems.extend(_revision_problems(summary.id, summary.form_id, summary.form_version, raw, trail))
        if rows_by_number and summary.current_revision != max(rows_by_number):
            problems.append(
                Problem("verify.current_altered", {"id": summary.id, "revision": summary.current_revision})
            )
        for pos, entry in enumerate(repo.imported_audit(summary.id), start=1):
            if not audit.entry_hash_ok(entry):
                problems.append(Problem("verify.imported_altered", {"id": summary.id, "entry": pos}))
    from pia_app.store.review_store import stored_file_problems  # attachments (issue 14)

    problems.extend(Problem(key, params) for key, params in stored_file_problems(repo.db))
    return VerifyResult(
        entries=len(rows),
        approved=approved,
        problems=problems,
        head=rows[-1]["hash"] if rows else audit.GENESIS_HASH,
        assessments=len(summaries),
        revisions=revisions,
    )


def _revision_problems(
    aid: int, form_id: str, form_version: str, raw: Mapping[str, Any], trail: _Trail
) -> list[Problem]:
    number = raw["number"]
    where = {"id": aid, "revision": number}
    expected = trail.states[number]
    try:
        actual = content_hash(form_id, form_version, json.loads(raw["answers"]))
    except (TypeError, ValueError):
        return [Problem("verify.revision_damaged", where)]
    problems: list[Problem] = []
    if raw["status"] == "approved" and raw["content_hash"] != actual:
        problems.append(Problem("verify.revision_altered", where))
    elif actual != expected.get("content_hash") or (
        raw["status"] == "approved" and raw["content_hash"] != expected.get("content_hash")
    ):
        key = "verify.revision_altered" if raw["status"] == "approved" else "verify.draft_altered"
        problems.append(Problem(key, where))
    if raw["status"] != expected.get("status"):
        problems.append(
            Problem(
                "verify.status_altered", {**where, "found": raw["status"], "recorded": expected.get("status")}
            )
        )
    elif raw["status"] == "approved":
        changed = [n for n in audit.APPROVAL_FIELDS if raw[n] != expected.get(n)]
        if changed:
            problems.append(Problem("verify.approval_altered", {**where, "fields": ", ".join(changed)}))
    return problems
