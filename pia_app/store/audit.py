"""The audit trail's entries: how they are hashed, chained, appended and scrubbed.

Two hash schemes exist (both checked by `entry_hash_ok`):

- scheme 1 (schema v1): `hash` = SHA-256 of the canonical JSON of the entry's fields, with the
  `detail` text itself among them;
- scheme 2 (schema v2 on): the same, but with `detail_hash` (SHA-256 of the detail text) in
  place of the detail. The chain then covers the detail through its hash, so the personal
  content of a deleted assessment's entries can be scrubbed (`scrub_detail`) while the entry,
  its hash and the chain after it still verify. The database stores `detail_hash` beside the
  entry; an exported entry (no `detail_hash`) is checked by recomputing it from `detail`.

Every scheme-2 entry that creates, changes or approves a revision carries the revision's state
after the action (`revision_state`: status, content hash and, once approved, who/role/when), so
`verify` can recompute each stored revision's hash and compare it with the trail.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pia_app.canonical import canonical_json, content_hash, sha256_hex, utc_now
from pia_app.store.database import Database

GENESIS_HASH = "0" * 64
ENTRY_FIELDS = ("assessment_uid", "revision", "ts", "actor", "action", "detail", "prev_hash")
APPROVAL_FIELDS = ("approved_by", "approved_role", "approved_at")
STATE_KEY = "state"
"""detail key of the one revision an entry creates or changes (its state after the action)."""
STATES_KEY = "states"
"""detail key of several revisions' states (import, the v2 upgrade's seal), in number order."""
SCRUB_KEEP = frozenset(
    {
        STATE_KEY,
        STATES_KEY,
        "from",
        "to",
        "content_hash",
        *APPROVAL_FIELDS,
        "based_on",
        "reason",
        "revisions",
        "revision",
        "history",
        "form",
        "version",
        "original_uid",
        "lang",
        "forced",
    }
)
"""detail keys that hold no answer content and stay when a deleted assessment's entries are
scrubbed (hashes, statuses, approvals, codes, counts)."""


def revision_state(
    form_id: str, form_version: str, number: int, status: str, answers: Any, approval: Mapping[str, Any]
) -> dict[str, Any]:
    """What the trail records of a revision: number, status, content hash, approval details."""
    state: dict[str, Any] = {
        "number": number,
        "status": status,
        "content_hash": content_hash(form_id, form_version, answers),
    }
    if status == "approved":
        for name in APPROVAL_FIELDS:
            state[name] = approval.get(name)
    return state


def entry_hash_v1(entry: Mapping[str, Any]) -> str:
    """Scheme 1: SHA-256 of every field except `hash` (and the local row id), detail as text."""
    fields = {k: entry.get(k) for k in ENTRY_FIELDS}
    if not isinstance(fields["detail"], str):
        fields["detail"] = canonical_json(fields["detail"])
    return sha256_hex(canonical_json(fields))


def detail_text(entry: Mapping[str, Any]) -> str:
    detail = entry.get("detail")
    return detail if isinstance(detail, str) else canonical_json(detail)


def entry_hash_v2(entry: Mapping[str, Any], detail_hash: str) -> str:
    """Scheme 2: like scheme 1 with the detail replaced by its SHA-256."""
    fields: dict[str, Any] = {k: entry.get(k) for k in ENTRY_FIELDS if k != "detail"}
    fields["detail_hash"] = detail_hash
    return sha256_hex(canonical_json(fields))


def entry_hash_ok(entry: Mapping[str, Any]) -> bool:
    """Does `entry` hash to its `hash`? Stored entries say their scheme by `detail_hash`
    (NULL = scheme 1); exported ones (no such key) may be of either scheme. A scrubbed entry
    is checked through its kept `detail_hash` (scheme 2) and cannot be checked under scheme 1."""
    want = entry.get("hash")
    if "detail_hash" in entry:
        stored = entry.get("detail_hash")
        if stored is None:
            return not entry.get("scrubbed_at") and entry_hash_v1(entry) == want
        if not entry.get("scrubbed_at") and sha256_hex(detail_text(entry)) != stored:
            return False
        return entry_hash_v2(entry, str(stored)) == want
    return entry_hash_v2(entry, sha256_hex(detail_text(entry))) == want or entry_hash_v1(entry) == want


def decode_detail(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's detail as a dict; {} when it is not a JSON object (damaged)."""
    detail = entry.get("detail")
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return {}
    return detail if isinstance(detail, dict) else {}


def head_hash(db: Database) -> str:
    row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return str(row[0]) if row else GENESIS_HASH


def append(
    db: Database,
    actor: str,
    uid: str,
    revision: int | None,
    action: str,
    detail: Mapping[str, Any],
) -> dict[str, Any]:
    """Append a scheme-2 entry chained to the newest one (call inside a write transaction)."""
    text = canonical_json(dict(detail))
    entry: dict[str, Any] = {
        "assessment_uid": uid,
        "revision": revision,
        "ts": utc_now(),
        "actor": actor,
        "action": action,
        "detail": text,
        "prev_hash": head_hash(db),
    }
    entry["detail_hash"] = sha256_hex(text)
    entry["hash"] = entry_hash_v2(entry, entry["detail_hash"])
    db.execute(
        "INSERT INTO audit_log (assessment_uid, revision, ts, actor, action, detail, prev_hash,"
        " hash, detail_hash) VALUES (:assessment_uid, :revision, :ts, :actor, :action, :detail,"
        " :prev_hash, :hash, :detail_hash)",
        entry,
    )
    return entry


def scrub_detail(detail: Mapping[str, Any]) -> dict[str, Any]:
    """The detail without answer content: kept keys (SCRUB_KEEP), changed question ids only."""
    out = {k: v for k, v in detail.items() if k in SCRUB_KEEP}
    changes = detail.get("changes")
    if isinstance(changes, Mapping):
        out["questions"] = sorted(str(k) for k in changes)
    return out
