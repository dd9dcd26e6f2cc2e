"""The store's connection handle (pia_app/store/database.py) keeps the transaction rules the store
relies on: a lone write commits itself, `atomic()` is all or nothing (savepoints when nested),
`query` only runs statements that return rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pia_app.store.database import Database, first_keyword, unique_keys


@pytest.fixture
def db(tmp_path: Path) -> Database:
    d = Database(sqlite3.connect(tmp_path / "t.sqlite3", isolation_level=None))
    d.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    return d


def _other_reader(tmp_path: Path) -> list[str]:
    """What a second connection sees (committed rows only)."""
    conn = sqlite3.connect(tmp_path / "t.sqlite3")
    try:
        return [r[0] for r in conn.execute("SELECT v FROM t ORDER BY id")]
    finally:
        conn.close()


def test_a_lone_write_is_committed_at_once(db: Database, tmp_path: Path) -> None:
    db.execute("INSERT INTO t (v) VALUES (?)", ["a"])
    assert not db.conn.in_transaction
    assert _other_reader(tmp_path) == ["a"]


def test_a_lone_write_commits_even_on_a_connection_that_opens_implicit_transactions(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(tmp_path / "t.sqlite3"))  # the sqlite3 module's default mode
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    db.execute("INSERT INTO t (v) VALUES ('a')")
    assert not db.conn.in_transaction
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO t (v) VALUES (NULL)")
    assert not db.conn.in_transaction  # the failed statement's transaction was rolled back
    assert _other_reader(tmp_path) == ["a"]


def test_atomic_is_all_or_nothing(db: Database, tmp_path: Path) -> None:
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        db.execute("INSERT INTO t (v) VALUES ('b')")
        assert _other_reader(tmp_path) == []  # not visible before the commit
    assert _other_reader(tmp_path) == ["a", "b"]
    with pytest.raises(sqlite3.IntegrityError), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('c')")
        db.execute("INSERT INTO t (v) VALUES (NULL)")
    assert not db.conn.in_transaction
    assert _other_reader(tmp_path) == ["a", "b"]


def test_atomic_rolls_back_on_an_interrupt_too(db: Database, tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        raise KeyboardInterrupt
    assert _other_reader(tmp_path) == []


def test_nested_atomic_undoes_only_the_inner_block(db: Database, tmp_path: Path) -> None:
    with db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('outer')")
        with pytest.raises(ValueError), db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('inner')")
            raise ValueError("no")
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('kept')")
    assert _other_reader(tmp_path) == ["outer", "kept"]


def test_a_trigger_that_rolls_back_everything_is_reported_not_masked(db: Database, tmp_path: Path) -> None:
    db.execute(
        "CREATE TRIGGER no_x BEFORE INSERT ON t WHEN NEW.v = 'x' BEGIN SELECT RAISE(ROLLBACK, 'no x'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="no x"), db.atomic():
        db.execute("INSERT INTO t (v) VALUES ('a')")
        with db.atomic():
            db.execute("INSERT INTO t (v) VALUES ('x')")
    assert not db.conn.in_transaction
    assert _other_reader(tmp_path) == []


def test_query_yields_dicts_with_unique_column_names(db: Database) -> None:
    db.execute("INSERT INTO t (v) VALUES ('a')")
    rows = list(db.query("SELECT id, v, v AS v_2, v FROM t WHERE v = ?", ["a"]))
    assert rows == [{"id": 1, "v": "a", "v_2": "a", "v_3": "a"}]
    assert list(db.query("SELECT v FROM t WHERE v = :v", {"v": "zzz"})) == []


@pytest.mark.parametrize("sql", ["BEGIN", "  -- note\nCOMMIT", "VACUUM", "INSERT INTO t (v) VALUES ('q')"])
def test_query_refuses_statements_that_return_no_rows(db: Database, sql: str) -> None:
    with pytest.raises(ValueError):
        db.query(sql)


def test_recursive_triggers_are_on(db: Database) -> None:
    assert db.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 1


def test_table_names(db: Database) -> None:
    assert db.table_names() == ["t"]


def test_first_keyword_skips_comments_and_blanks() -> None:
    assert first_keyword("\ufeff ; /* a */ -- b\n  begin immediate") == "BEGIN"
    assert first_keyword("-- only a comment") == ""
    assert first_keyword("/* unterminated") == ""


def test_unique_keys_never_renames_onto_an_existing_name() -> None:
    assert unique_keys(["a", "a", "a_2"]) == ["a", "a_3", "a_2"]
    assert unique_keys(["x", "y"]) == ["x", "y"]
