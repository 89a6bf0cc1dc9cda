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

FORMAT = "1"


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
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {name} (key TEXT PRIMARY KEY, data BLOB)")
            self.used[name] = set()
        return name

    def get_many(self, table: str, keys: Iterable[str]) -> dict[str, object]:
        table = self._table(table)
        keys = list(dict.fromkeys(keys))
        self.used[table].update(keys)
        out = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            rows = self.db.execute(f"SELECT key, data FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            for key, data in rows:
                out[key] = json.loads(zlib.decompress(data))
        return out

    def put_many(self, table: str, items: dict[str, object]) -> None:
        table = self._table(table)
        self.used[table].update(items)
        self.db.executemany(
            f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
            ((k, zlib.compress(json.dumps(v, ensure_ascii=False, separators=(",", ":")).encode(), 6))
             for k, v in items.items()))
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
