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


SCAN_FROM = 0.5  # share of a table's rows asked for at once from which reading the whole table is faster
SCAN_MIN_KEYS = 1000  # below this many keys, lookups by key are fast enough


class Cache:
    def __init__(self, path: Path | None):
        self.path = path
        self.used: dict[str, set[str]] = {}
        self.found: dict[str, set[str]] = {}  # used keys known to have a row
        self.deferred: list[tuple[str, tuple]] | None = None  # writes kept back: see in_forked_child
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
            self.found[name] = set()
        return name

    def get_many(self, table: str, keys: Iterable[str], column: str = "data", decode: bool = True) -> dict[str, object]:
        """The entries found, by key (with decode=False, their bytes as stored: for entries put as
        bytes). Every key asked for counts as used, found or not."""
        if not decode:
            return dict(self._select(table, keys, column))
        return {key: json.loads(zlib.decompress(data) if column == "extra" else data)
                for key, data in self._select(table, keys, column)}

    def peek(self, table: str, keys: Iterable[str]) -> dict[str, bytes]:
        """Entries' bytes as stored, without counting them as used: what an earlier build used, read
        to compare with (this build's end drops them as usual)."""
        return dict(self._select(table, keys, "data", use=False))

    def present(self, table: str, keys: Iterable[str]) -> set[str]:
        """Which of these keys have an entry (without reading the entries). They count as used."""
        table = self._table(table)
        keys = list(dict.fromkeys(keys))
        self.used[table].update(keys)
        wanted = set(keys)
        if self._most_of(table, len(keys)):  # the key index alone, in order
            found = {key for (key,) in self.db.execute(f"SELECT key FROM {table}") if key in wanted}
        else:
            found = set()
            for chunk in _chunks(keys):
                found.update(key for (key,) in self.db.execute(
                    f"SELECT key FROM {table} WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        self.found[table] |= found
        return found

    def _select(self, table: str, keys: Iterable[str], column: str, use: bool = True):
        """(key, column) of the rows of these keys whose column is set: the whole table read in its
        order when most of it is wanted (a build after a small change), else 500 keys a query. With
        `use`, the keys count as used (and those found as found)."""
        table = self._table(table)
        keys = list(dict.fromkeys(keys))
        found: set[str] = self.found[table] if use else set()
        if use:
            self.used[table].update(keys)
        if self._most_of(table, len(keys)):
            wanted = set(keys)
            for key, data in self.db.execute(f"SELECT key, {column} FROM {table} WHERE {column} IS NOT NULL"):
                if key in wanted:
                    found.add(key)
                    yield key, data
            return
        for chunk in _chunks(keys):
            for key, data in self.db.execute(f"SELECT key, {column} FROM {table} WHERE key IN "
                                             f"({','.join('?' * len(chunk))}) AND {column} IS NOT NULL", chunk):
                found.add(key)
                yield key, data

    def _most_of(self, table: str, asked: int) -> bool:
        return asked >= SCAN_MIN_KEYS and asked >= SCAN_FROM * self.rows(table)

    def rows(self, table: str) -> int:
        """How many entries the table has."""
        return self.db.execute(f"SELECT count(*) FROM {self._table(table)}").fetchone()[0]

    def get_extra(self, table: str, keys: Iterable[str]) -> dict[str, object]:
        """The second, bigger part of entries, read only when needed."""
        return self.get_many(table, keys, column="extra")

    def put_many(self, table: str, items: dict[str, object], extras: dict[str, object] | None = None,
                 packed_extras: dict[str, bytes] | None = None) -> None:
        """Store entries, some with an `extra` part: a value (`extras`) or one pack_extra made
        (`packed_extras`, in a worker process, say)."""
        if self._deferring("put_many", table, items, extras, packed_extras):
            return
        table = self._table(table)
        self.used[table].update(items)
        self.found[table].update(items)
        extras, packed_extras = extras or {}, packed_extras or {}
        self.db.executemany(
            f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",
            ((k, _json(v), packed_extras[k] if k in packed_extras else pack_extra(extras[k]) if k in extras else None)
             for k, v in items.items()))
        self.db.commit()

    def forget_table(self, table: str) -> None:
        """Remove a table that no build uses any more (entries of an earlier form)."""
        if self.deferred is None and table not in self.used:
            self.db.execute(f"DROP TABLE IF EXISTS {table}")
            self.db.commit()

    def assume_present(self, table: str, keys: Iterable[str]) -> None:
        """Count these keys as used and found without asking (entries written with others this build
        found, read later only if needed: a missing one is noticed then)."""
        table = self._table(table)
        keys = set(keys)
        self.used[table] |= keys
        self.found[table] |= keys

    def replace_data(self, table: str, items: dict[str, object]) -> None:
        """Store entries' small part again in another form, keeping their `extra` part."""
        if self._deferring("replace_data", table, items):
            return
        table = self._table(table)
        self.db.executemany(f"UPDATE {table} SET data = ? WHERE key = ?", ((_json(v), k) for k, v in items.items()))
        self.db.commit()

    def _deferring(self, method: str, table: str, *args) -> bool:
        """In a forked process, a write is kept for the process it came from (see in_forked_child);
        it counts as used and found here as it would there."""
        if self.deferred is None:
            return False
        items = args[0]
        table = self._table(table)
        self.used[table].update(items)
        self.found[table].update(items)
        self.deferred.append((method, (table, *args)))
        return True

    def drop_unused(self) -> None:
        """Forget entries this build did not ask for (deleted or edited articles)."""
        for table, keys in self.used.items():
            if self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(self.found[table]):
                continue  # every row was used: nothing to drop
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM keep")
            self.db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in keys))
            self.db.execute(f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM keep)")
        self.db.commit()

    # -- in a forked process ---------------------------------------------------
    def in_forked_child(self) -> None:
        """Go on in a process forked from the one that opened the cache: read through a connection
        of its own (an SQLite connection must not be used on both sides of a fork; the inherited
        one is left alone, not even closed), and keep writes and uses to hand back (effects())."""
        if self.path is None:
            raise ValueError("an in-memory cache cannot be shared with a forked process")
        self._inherited = self.db
        self.db = sqlite3.connect(self.path)
        self.used = {table: set() for table in self.used}
        self.found = {table: set() for table in self.found}
        self.deferred = []

    def effects(self) -> tuple:
        """What the forked process did to the cache, for apply_effects() in the process it came from."""
        return self.used, self.found, self.deferred

    def apply_effects(self, effects: tuple) -> None:
        used, found, deferred = effects
        for table, keys in used.items():
            self._table(table)
            self.used[table] |= keys
            self.found[table] |= found[table]
        for method, args in deferred:
            getattr(self, method)(*args)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Cache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _chunks(keys: list[str], size: int = 500):
    for i in range(0, len(keys), size):
        yield keys[i:i + size]


def pack_extra(value: object) -> bytes:
    """An entry's `extra` part as it is stored."""
    return zlib.compress(_json(value), 6)


def _json(value: object) -> bytes:
    """Entries are read on every build, so plain JSON (zlib costs more time than it saves on Chinese
    text); the `extra` part, read only when needed, is compressed. Bytes are stored as they are."""
    if isinstance(value, bytes):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
