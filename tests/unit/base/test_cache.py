"""The build cache: what it gives back, and what it forgets, whether it reads by key or whole tables."""

import sqlite3

import pytest

from generator.base import cache as cache_module
from generator.base.cache import Cache


@pytest.fixture(params=["by key", "whole table"])
def make_cache(request, tmp_path, monkeypatch):
    if request.param == "whole table":
        monkeypatch.setattr(cache_module, "SCAN_MIN_KEYS", 1)
    else:
        monkeypatch.setattr(cache_module, "SCAN_MIN_KEYS", 10 ** 9)
    return lambda: Cache(tmp_path / "build.sqlite")


def rows(path, table):
    db = sqlite3.connect(path)
    try:
        return sorted(key for (key,) in db.execute(f"SELECT key FROM {table}"))
    finally:
        db.close()


def test_entries_come_back_and_unasked_ones_are_forgotten(make_cache, tmp_path):
    entries = {f"k{i:04d}": {"n": i, "text": "聊城" * (i % 7)} for i in range(1200)}
    with make_cache() as cache:
        cache.put_many("t", entries, extras={k: [v["n"]] * 3 for k, v in entries.items() if v["n"] % 2})
    wanted = [f"k{i:04d}" for i in range(0, 1200, 3)] + ["missing"]  # a third of the table, one unknown key
    with make_cache() as cache:
        assert cache.get_many("t", wanted) == {k: entries[k] for k in wanted if k in entries}
        assert cache.get_extra("t", wanted) == {k: [entries[k]["n"]] * 3 for k in wanted
                                                if k in entries and entries[k]["n"] % 2}
        assert cache.present("t", ["k0001", "k0002", "nope"]) == {"k0001", "k0002"}
        cache.drop_unused()
    assert rows(tmp_path / "build.sqlite", "t") == sorted({*wanted, "k0001", "k0002"} - {"missing"})


def test_a_build_that_used_every_entry_keeps_them_all(make_cache, tmp_path):
    with make_cache() as cache:
        cache.put_many("t", {f"k{i}": i for i in range(50)})
        cache.put_many("u", {"a": 1, "b": 2})
    with make_cache() as cache:
        assert len(cache.present("t", [f"k{i}" for i in range(50)])) == 50
        assert cache.get_many("u", ["a"]) == {"a": 1}
        cache.put_many("u", {"c": 3})
        cache.drop_unused()
    assert rows(tmp_path / "build.sqlite", "t") == sorted(f"k{i}" for i in range(50))
    assert rows(tmp_path / "build.sqlite", "u") == ["a", "c"]
