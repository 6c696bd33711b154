from __future__ import annotations

import datetime as dt
import json

from desktop.core.model import Instrument, InstrumentKind
from desktop.data.paths import cache_dir
from desktop.data.sources.search_cache import FILE_NAME, SearchCache, normalize_query

T0 = dt.datetime(2025, 10, 30, 12, 0, tzinfo=dt.UTC)
AAPL = Instrument("AAPL", "Apple Inc.", InstrumentKind.EQUITY, "", "NASDAQ", verified=True)
APLE = Instrument("APLE", "Apple Hospitality", InstrumentKind.EQUITY, "", "NYSE", verified=True)


class Clock:
    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def test_queries_are_normalised():
    assert normalize_query("  Apple   Inc ") == normalize_query("apple inc") == "apple inc"


def test_an_answer_is_kept_across_instances_in_the_cache_folder():
    SearchCache(now=Clock()).put("Apple", [AAPL, APLE])

    assert (cache_dir() / FILE_NAME).is_file()  # conftest points the cache folder at tmp
    again = SearchCache(now=Clock())
    assert again.get("  APPLE ") == [AAPL, APLE]
    assert again.get("apples") is None


def test_an_empty_answer_is_an_answer(tmp_path):
    cache = SearchCache(tmp_path / "s.json", now=Clock())
    cache.put("zzzz", [])
    assert SearchCache(tmp_path / "s.json", now=Clock()).get("zzzz") == []


def test_old_answers_are_ignored_and_dropped(tmp_path):
    path = tmp_path / "s.json"
    clock = Clock()
    cache = SearchCache(path, max_age=dt.timedelta(days=7), now=clock)
    cache.put("apple", [AAPL])
    clock.now = T0 + dt.timedelta(days=7, seconds=1)
    assert cache.get("apple") is None
    cache.put("msft", [])
    assert list(json.loads(path.read_text())["entries"]) == ["msft"]


def test_only_the_newest_entries_are_kept(tmp_path):
    cache = SearchCache(tmp_path / "s.json", max_entries=2, now=Clock())
    for query in ("a1", "b2", "c3"):
        cache.put(query, [])
    fresh = SearchCache(tmp_path / "s.json", now=Clock())
    assert fresh.get("a1") is None and fresh.get("b2") == [] and fresh.get("c3") == []


def test_a_corrupt_file_is_treated_as_empty_and_replaced(tmp_path):
    path = tmp_path / "s.json"
    for junk in ("{not json", "[]", '{"version": 1, "entries": []}', '{"version": 99}'):
        path.write_text(junk)
        cache = SearchCache(path, now=Clock())
        assert cache.get("apple") is None
    cache.put("apple", [AAPL])
    assert SearchCache(path, now=Clock()).get("apple") == [AAPL]


def test_a_bad_entry_is_a_miss(tmp_path):
    path = tmp_path / "s.json"
    entry = {"saved": T0.isoformat(), "hits": [{"symbol": "AAPL", "kind": "spaceship"}]}
    path.write_text(json.dumps({"version": 1, "entries": {"apple": entry, "x": "junk"}}))
    assert SearchCache(path, now=Clock()).get("apple") is None


def test_the_write_is_atomic_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    import os

    path = tmp_path / "s.json"
    cache = SearchCache(path, now=Clock())
    cache.put("apple", [AAPL])
    before = path.read_bytes()

    def failing_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    cache.put("msft", [])  # fails quietly: only a cache
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_an_unwritable_folder_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = SearchCache(blocker / "sub" / "s.json", now=Clock())
    cache.put("apple", [AAPL])  # cannot write: remembered for this run only
    assert cache.get("apple") == [AAPL]
