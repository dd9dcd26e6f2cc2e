"""The store's handle on an SQLite connection: `execute`, `query`, `atomic`, `close`.

The store writes its own SQL (repository.py is the only module with SQL, migrations.py builds the
schema), so of sqlite-utils it used these four methods alone. Importing sqlite-utils also loaded
click, dateutil, pluggy, OpenSSL (through `secrets`) and more: ~5 MiB of memory and ~40 ms at every
start of the window, over a third of what the app added to a bare Qt window (issue 12). This
module keeps sqlite-utils 4's transaction rules, which the store and its crash tests rely on:

- `execute` runs one statement; a write outside a transaction commits itself (a statement that
  opened an implicit transaction is committed, one that failed is rolled back);
- `atomic()` groups statements in one transaction (BEGIN ... COMMIT, ROLLBACK on any error,
  including KeyboardInterrupt); nested, it uses a savepoint;
- `query` runs a statement that returns rows and yields each as a dict (column names made unique);
- the connection has `PRAGMA recursive_triggers=on`, as sqlite-utils set it.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

Params = Sequence[Any] | Mapping[str, Any] | None

_TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_NOT_QUERIES = _TRANSACTION_CONTROL | {"VACUUM", "ATTACH", "DETACH"}
_savepoints = itertools.count(1)


def first_keyword(sql: str) -> str:
    """The statement's first keyword, upper-case, after blanks, `;`, a BOM and SQL comments."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


def unique_keys(names: Sequence[str]) -> list[str]:
    """Column names with later duplicates renamed `name_2`, `name_3`, ... (never onto a name
    that is already there), so that no column of a row silently replaces another."""
    keys = list(names)
    taken = set(keys)
    if len(taken) == len(keys):
        return keys
    seen: set[str] = set()
    out = []
    for key in keys:
        if key in seen:
            n = 2
            while f"{key}_{n}" in taken:
                n += 1
            new = f"{key}_{n}"
            taken.add(new)
            out.append(new)
        else:
            seen.add(key)
            out.append(key)
    return out


class Database:
    """One open connection (`conn`), opened by store/db.py with its pragmas."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.execute("PRAGMA recursive_triggers=on;")

    def execute(self, sql: str, parameters: Params = None) -> sqlite3.Cursor:
        """Run one statement; a write outside `atomic()` is committed at once."""
        was_in_transaction = self.conn.in_transaction
        try:
            cursor = self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)
        except BaseException:
            if not was_in_transaction and self.conn.in_transaction:
                self.conn.execute("ROLLBACK")  # the failed statement's implicit transaction
            raise
        if (
            not was_in_transaction
            and self.conn.in_transaction
            and cursor.description is None
            and first_keyword(sql) not in _TRANSACTION_CONTROL
        ):
            self.conn.execute("COMMIT")
        return cursor

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Run a statement that returns rows (run now; rows fetched as the result is iterated)."""
        if first_keyword(sql) in _NOT_QUERIES:
            raise ValueError("query() is for statements that return rows; use execute()")
        cursor = self.conn.execute(sql) if params is None else self.conn.execute(sql, params)
        if cursor.description is None:
            raise ValueError("query() is for statements that return rows; use execute()")
        keys = unique_keys([d[0] for d in cursor.description])
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction around the block (a savepoint inside another), rolled back on any error."""
        if self.conn.in_transaction:
            name = f"pia_app_{next(_savepoints)}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                # An error such as a RAISE(ROLLBACK) trigger may have ended the whole transaction.
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
        else:
            self.conn.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except BaseException:
                    self.rollback()
                    raise

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()
