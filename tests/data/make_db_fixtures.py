"""Write tests/data/db/v<N>.sql: a small database of the current schema version, as SQL text.

Run it once when a schema version is released (before writing the migration that follows it):

    .venv/bin/python tests/data/make_db_fixtures.py

Existing fixtures are never overwritten: each one is the record of what a released version wrote,
and tests/unit/test_migrations.py upgrades it with the current migrations (and checks that a
fresh database still has exactly the newest fixture's schema). Only while a version is still
unreleased may its schema change: then delete its fixture and run this script again. Text (not a binary
.sqlite3 file) keeps the fixture small and reviewable.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "db"


def build(path: Path) -> None:
    """A few assessments covering every table: approved + re-review draft, archived, deleted,
    settings; from v3 on, review records (roles, evaluation, comments, DPO advice, attachments,
    treatment follow-up with evidence)."""
    import datetime as dt

    from pia_app.forms.loader import default_form
    from pia_app.store.repository import Repository
    from pia_app.store.review_store import ReviewStore

    with Repository(path, actor="fixture") as repo:
        repo.set_actor_name("夹具 fixture")
        review = ReviewStore(repo, default_form())
        aid = repo.create("face_voice_pia", "0.1", "门禁 fixture")
        treatment = {"ref_id": "R1", "measure": "模板加密", "deadline": "2026-03-01", "status": "planned"}
        repo.save_answers(
            aid,
            {
                "a_project_name": "门禁 fixture",
                "a_scope": "A 座",
                "m_report_date": "2026-01-05",
                "m_treatments": [treatment],
            },
        )
        review.set_role(aid, "author", ["王芳", "夹具 fixture"])
        review.set_role(aid, "reviewer", ["李明"])
        thread = review.open_thread(aid, "a_scope", "范围是否包括 B 座？")
        review.reply(aid, thread.id, "不包括。")
        review.resolve(aid, thread.id)
        review.evaluate(aid, "A", "to_improve", "补充范围说明", "审核人", reviewer="李明")
        review.give_dpo_advice(aid, "建议缩短保存期限")
        review.decide_dpo_advice(aid, "overruled", "法规要求保存三年")
        review.attach_bytes(aid, "同意界面.png", b"\x89PNG fixture", "a_scope")
        review.attach_bytes(aid, "合同.pdf", b"%PDF-1.4 fixture", "m_treatments", row_index=0)
        repo.submit(aid)
        repo.approve(aid, "李明", "DPO", at="2026-01-05T08:00:00.000000Z")
        evidence = path.with_name("加密报告.txt")
        evidence.write_bytes("加密已启用 fixture".encode())
        review.record_progress(aid, 0, "done", dt.date(2026, 2, 20), "已完成", evidence)
        repo.start_review(aid, "periodic", "年度复评")
        old = repo.create("face_voice_pia", "0.1", "archived fixture")
        repo.archive(old)
        gone = repo.create("face_voice_pia", "0.1", "deleted fixture")
        repo.save_answers(gone, {"a_scope": "删除的范围 deleted scope"})
        repo.delete(gone)


def dump(path: Path, version: int) -> str:
    conn = sqlite3.connect(path)
    try:
        lines = list(conn.iterdump())
    finally:
        conn.close()
    return "\n".join([*lines, f"PRAGMA user_version = {version};", ""])


def main() -> int:
    sys.path.insert(0, str(HERE.parents[1]))
    from pia_app.store.migrations import SCHEMA_VERSION

    target = OUT / f"v{SCHEMA_VERSION}.sql"
    if target.exists():
        print(f"{target} exists; fixtures of released versions are never rewritten")
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "fixture.sqlite3"
        build(db)
        target.write_text(dump(db, SCHEMA_VERSION), encoding="utf-8")
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
