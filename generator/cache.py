"""The build cache: results of per-article work, keyed by a hash of their inputs.

One SQLite file (`.cache/build.sqlite`), safe to delete at any time: a missing, old or damaged
cache only makes the next build slower. Entries not used by a build are dropped at its end,
so the cache does not grow without bound.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import Iterable

FORMAT = "3"


class Cache:
    def __init__(self, path: Path | None):
        self.path = path
        self.used: dict[str, set[str]] = {}
        self.db = self._open(path)

    @staticmethod
    def _open(path: Path | None) -> sqlite3.Connection:
        if path is None:
            return sqlite3.connect(":memory:")
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(path)
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
            if row is None or row[0] != FORMAT:
                db.close()
                raise sqlite3.DatabaseError("old format")
            return db
        except sqlite3.DatabaseError:
            path.unlink(missing_ok=True)  # damaged or old: start again
            db = sqlite3.connect(path)
            db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
            db.commit()
            return db

    def _table(self, name: str) -> str:
        if name not in self.used:
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {name} (key TEXT PRIMARY KEY, data BLOB, extra BLOB)")
            self.used[name] = set()
        return name

    def get_many(self, table: str, keys: Iterable[str], column: str = "data") -> dict[str, object]:
        """The entries found, by key. Every key asked for counts as used, found or not."""
        return {key: json.loads(zlib.decompress(data) if column == "extra" else data)
                for key, data in self._select(table, keys, column)}

    def present(self, table: str, keys: Iterable[str]) -> set[str]:
        """Which of these keys have an entry (without reading the entries). They count as used."""
        return {key for key, _ in self._select(table, keys, "data", fetch="NULL")}

    def _select(self, table: str, keys: Iterable[str], column: str, fetch: str | None = None):
        """(key, fetch or column) of the rows of these keys whose column is set, 500 keys a query."""
        table = self._table(table)
        keys = list(dict.fromkeys(keys))
        self.used[table].update(keys)
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            yield from self.db.execute(f"SELECT key, {fetch or column} FROM {table} WHERE key IN "
                                       f"({','.join('?' * len(chunk))}) AND {column} IS NOT NULL", chunk)

    def get_extra(self, table: str, keys: Iterable[str]) -> dict[str, object]:
        """The second, bigger part of entries, read only when needed."""
        return self.get_many(table, keys, column="extra")

    def put_many(self, table: str, items: dict[str, object], extras: dict[str, object] | None = None) -> None:
        table = self._table(table)
        self.used[table].update(items)
        extras = extras or {}
        self.db.executemany(
            f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",
            ((k, _json(v), zlib.compress(_json(extras[k]), 6) if k in extras else None) for k, v in items.items()))
        self.db.commit()

    def drop_unused(self) -> None:
        """Forget entries this build did not ask for (deleted or edited articles)."""
        for table, keys in self.used.items():
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM keep")
            self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in keys))
            self.db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)")
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _json(value: object) -> bytes:
    """Entries are read on every build, so plain JSON (zlib costs more time than it saves on Chinese
    text); the `extra` part, read only when needed, is compressed."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
