"""A history Yahoo revised: the last week asked again (late corrections), and the whole history
fetched again in place of the cache when the new days bring a split, dividend or capital gain
the cache does not have (Yahoo re-adjusts every close before it)."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.data.refresh import run_refresh
from desktop.data.sources.protocol import Fetched, FetchErrorKind, FetchRequest, PriceHistory
from desktop.data.store import Store
from tests.data.test_refresh import FRIDAY, SATURDAY, FakeSource, cache, dump

#: The day the new action takes effect, after everything cached.
EX_DAY = dt.date(2024, 3, 5)
ACTIONS = ("dividend", "split", "capital_gain")


def weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    return [
        first + dt.timedelta(days=i)
        for i in range((last - first).days + 1)
        if (first + dt.timedelta(days=i)).weekday() < 5
    ]


@pytest.fixture
def cohu(store: Store) -> Store:
    """COHU cached from Monday 19 February to Friday 1 March 2024: close and adj_close 5.0."""
    cache(store, "COHU", dt.date(2024, 2, 19), dt.date(2024, 3, 1))
    return store


def history(action: dict[str, float], first: dt.date = dt.date(2024, 1, 2)) -> list[dict]:
    """COHU as Yahoo tells it after ``action`` on ``EX_DAY``: closes 5.0 then 6.0, and every
    adjusted close before the action lowered to 4.75."""
    rows = []
    for day in weekdays(first, FRIDAY):
        before = day < EX_DAY
        row = {"date": day, "close": 5.0 if before else 6.0, "adj_close": 4.75 if before else 6.0}
        rows.append({**row, **action} if day == EX_DAY else row)
    return rows


def answering(action: dict[str, float], whole: Fetched | None = None):
    """A source's answer: the rows from the request's start, or ``whole`` for a whole history."""

    def answer(request: FetchRequest) -> Fetched:
        if request.start is None and whole is not None:
            return whole
        rows = [r for r in history(action) if request.start is None or r["date"] >= request.start]
        return Fetched("COHU", PriceHistory(rows))

    return answer


# -- the overlap -------------------------------------------------------------------------------
def test_the_overlap_brings_late_corrections_and_counts_only_new_days(cohu):
    def answer(request: FetchRequest) -> Fetched:
        rows = []
        for day in weekdays(request.start, request.end):
            close = 6.0 if day > dt.date(2024, 3, 1) else 5.0
            rows.append({"date": day, "close": 5.5 if day == dt.date(2024, 2, 29) else close})
        return Fetched("COHU", PriceHistory(rows))

    source = FakeSource({"COHU": answer})

    report = run_refresh(cohu, source, symbols=["COHU"], now=SATURDAY)

    assert source.requests == [FetchRequest("COHU", dt.date(2024, 2, 23), FRIDAY)]
    closes = {r["date"]: r["close"] for r in cohu.price_rows("COHU")}
    assert closes == {
        **{d.isoformat(): 5.0 for d in weekdays(dt.date(2024, 2, 19), dt.date(2024, 3, 1))},
        "2024-02-29": 5.5,  # Yahoo revised Thursday's close
        **{d.isoformat(): 6.0 for d in weekdays(dt.date(2024, 3, 4), FRIDAY)},
    }
    assert report.updated == {"COHU": 5} and report.refetched == []
    assert report.summary() == "Updated 1 symbol (+5 rows); newest close 2024-03-08"


# -- a new action: the whole history again -----------------------------------------------------
@pytest.mark.parametrize("action", [{"dividend": 0.25}, {"split": 4.0}, {"capital_gain": 0.5}])
def test_a_new_action_brings_the_whole_history_in_place_of_the_cache(cohu, action):
    source = FakeSource({"COHU": answering(action)})
    seen = []

    report = run_refresh(
        cohu, source, symbols=["COHU"], now=SATURDAY, progress=lambda *p: seen.append(p)
    )

    assert source.requests == [
        FetchRequest("COHU", dt.date(2024, 2, 23), FRIDAY),
        FetchRequest("COHU", None, FRIDAY),
    ]
    stored = [
        (r["date"], r["close"], r["adj_close"], *(r[a] for a in ACTIONS), r["source"])
        for r in cohu.price_rows("COHU")
    ]
    expected = []
    for day in weekdays(dt.date(2024, 1, 2), FRIDAY):  # 49 sessions, 10 of them cached before
        amounts = [action.get(a, 0.0) if day == EX_DAY else 0.0 for a in ACTIONS]
        before = day < EX_DAY
        expected.append(
            (day.isoformat(), 5.0 if before else 6.0, 4.75 if before else 6.0, *amounts, "fake")
        )
    assert stored == expected  # the cached 5.0 adjusted closes (source csv) are all gone
    assert report.refetched == ["COHU"] and report.updated == {"COHU": 39}
    assert report.summary() == (
        "Updated 1 symbol (+39 rows); whole history re-fetched (new split or dividend): COHU; "
        "newest close 2024-03-08"
    )
    assert seen == [(1, 1, "COHU"), (2, 2, "COHU")]
    assert cohu.fetch_status()["COHU"]["error_kind"] is None


@pytest.mark.parametrize(("cached", "asked"), [(0.25, 1), (0.24, 2)])
def test_an_action_the_cache_already_has_is_not_new(cohu, cached, asked):
    day = dt.date(2024, 2, 28)
    cohu.upsert_prices("COHU", [{"date": day, "close": 5.0, "dividend": cached}], "csv")

    def answer(request: FetchRequest) -> Fetched:
        rows = [{"date": d, "close": 5.0} for d in weekdays(request.start or day, request.end)]
        return Fetched(
            "COHU", PriceHistory([{**r, "dividend": 0.25} if r["date"] == day else r for r in rows])
        )

    source = FakeSource({"COHU": answer})

    report = run_refresh(cohu, source, symbols=["COHU"], now=SATURDAY)

    assert len(source.requests) == asked  # a revised amount changes the history too
    assert report.refetched == (["COHU"] if asked == 2 else [])


def test_a_whole_history_is_never_asked_twice(store):
    source = FakeSource({"COHU": answering({"dividend": 0.25})})

    report = run_refresh(store, source, symbols=["COHU"], now=SATURDAY)

    assert source.requests == [FetchRequest("COHU", None, FRIDAY)]
    assert report.updated == {"COHU": 49} and report.refetched == []


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        (FetchErrorKind.OFFLINE, FetchErrorKind.OFFLINE),
        (FetchErrorKind.RATE_LIMITED, FetchErrorKind.RATE_LIMITED),
        # Its new days just came back: the symbol is not missing, whatever Yahoo says now.
        (FetchErrorKind.NOT_FOUND, FetchErrorKind.ERROR),
        (None, FetchErrorKind.NO_DATA),  # a success without a single row is no history either
    ],
)
def test_if_the_whole_history_fails_the_cache_is_kept_and_the_next_refresh_tries_again(
    cohu, answer, kind
):
    failed = Fetched.failed("COHU", answer, "no luck")
    before, rows = dump(cohu), cohu.price_rows("COHU")

    report = run_refresh(
        cohu,
        FakeSource({"COHU": answering({"split": 4.0}, whole=failed)}),
        now=SATURDAY,
        symbols=["COHU"],
    )

    assert cohu.price_rows("COHU") == rows  # not even the new days: the split must be seen again
    if kind is FetchErrorKind.OFFLINE:
        assert dump(cohu) == before and report.offline
    got, message = report.failed["COHU"]
    assert got is kind and "its cached prices are kept" in message
    assert report.updated == {} and report.refetched == []

    source = FakeSource({"COHU": answering({"split": 4.0})})
    again = run_refresh(cohu, source, symbols=["COHU"], now=SATURDAY)

    assert [r.start for r in source.requests] == [dt.date(2024, 2, 23), None]
    assert again.refetched == ["COHU"] and len(cohu.price_rows("COHU")) == 49


def test_a_whole_history_that_cannot_be_saved_leaves_the_old_rows(cohu):
    broken = history({"dividend": 0.25})
    broken[3] = {"date": broken[3]["date"], "close": None}  # NOT NULL: the insert fails
    source = FakeSource(
        {"COHU": answering({"dividend": 0.25}, whole=Fetched("COHU", PriceHistory(broken)))}
    )
    rows = cohu.price_rows("COHU")

    report = run_refresh(cohu, source, symbols=["COHU"], now=SATURDAY)

    assert cohu.price_rows("COHU") == rows
    kind, message = report.failed["COHU"]
    assert kind is FetchErrorKind.ERROR and "could not save its prices" in message
    assert report.refetched == [] and cohu.fetch_status()["COHU"]["error_kind"] == "error"


def test_cancelled_before_the_whole_history_writes_nothing_for_it(cohu):
    source = FakeSource({"COHU": answering({"dividend": 0.25})})
    done: list[str] = []
    rows = cohu.price_rows("COHU")

    report = run_refresh(
        cohu,
        source,
        symbols=["COHU"],
        now=SATURDAY,
        progress=lambda d, t, s: done.append(s),
        cancelled=lambda: bool(done),
    )

    assert len(source.requests) == 1 and report.cancelled
    assert cohu.price_rows("COHU") == rows
