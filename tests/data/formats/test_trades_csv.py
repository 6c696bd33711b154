"""Trades CSV: a round trip keeps every entry exactly; a bad file imports nothing and names
every bad row by line."""

import csv
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.data.formats.trades_csv import import_trades, read_trades, write_trades

TODAY = dt.date(2026, 11, 24)
GOOD = """date,type,symbol,quantity,price,fee,amount,currency,note
2024-01-02,deposit,,,,,10000,USD,opening balance
2024-01-06,buy,COHU,100,32.10,1.00,,,"weekend order, filled Monday"
2024-02-01,split,COHU,2,,,,,
2024-03-01,dividend,COHU,,,,12.50,,
2024-03-01,tax,COHU,,,,1.88,,withheld
2024-03-04,sell,COHU,50,17.25,1,,,
2024-03-31,interest,,,,,3.21,,"  spaces kept  "
2024-04-01,fee,,,,,5,,account fee
2024-04-02,withdrawal,,,,,500,,
"""


def test_round_trip_keeps_every_entry(tmp_path, store):
    source = tmp_path / "in.csv"
    source.write_text(GOOD)
    count, _, problems = import_trades(store, source, TODAY)
    assert problems == [] and count == 9
    out = tmp_path / "out.csv"
    write_trades(store.trades(), out)
    again, problems = read_trades(out, TODAY)
    assert problems == []

    def strip(ts):
        return [
            (t.date, t.type, t.symbol, t.quantity, t.price, t.fee, t.amount, t.currency, t.note)
            for t in ts
        ]

    assert strip(again) == strip(store.trades())
    notes = [t.note for t in store.trades()]
    assert "weekend order, filled Monday" in notes and "  spaces kept  " in notes


def test_any_bad_row_imports_nothing_and_every_bad_row_is_named(tmp_path, store):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,type,symbol,quantity,price,fee,amount,currency,note\n"
        "2024-01-02,buy,COHU,10,30,,,,\n"
        "2024-02-30,buy,COHU,10,30,,,,\n"
        "2024-01-03,hold,COHU,10,30,,,,\n"
        "2024-01-04,buy,COHU,0,30,,,,\n"
        "2024-01-05,dividend,COHU,,,,,,\n"
    )
    count, _, problems = import_trades(store, bad, TODAY)
    assert count == 0 and store.trades() == []
    messages = [p.message for p in problems]
    assert any(m.startswith("line 3:") and "not a real date" in m for m in messages)
    assert any(m.startswith("line 4:") and "not a trade type" in m for m in messages)
    assert any(m.startswith("line 5:") and "greater than zero" in m for m in messages)
    assert any(m.startswith("line 6:") for m in messages)
    assert not any(m.startswith("line 2:") for m in messages)


def test_an_oversold_ledger_imports_nothing(tmp_path, store):
    path = tmp_path / "over.csv"
    path.write_text(
        "date,type,symbol,quantity,price\n2024-01-02,buy,COHU,10,30\n2024-01-03,sell,COHU,11,30\n"
    )
    count, _, problems = import_trades(store, path, TODAY)
    assert count == 0 and "more than the 10 held" in problems[0].message
    assert store.trades() == []


def test_unusable_files(tmp_path):
    assert "does not exist" in read_trades(tmp_path / "nope.csv", TODAY)[1][0].message
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "empty" in read_trades(empty, TODAY)[1][0].message
    headless = tmp_path / "headless.csv"
    headless.write_text("symbol,quantity\nCOHU,1\n")
    assert "no date, type column" in read_trades(headless, TODAY)[1][0].message


def test_each_stored_entry_matches_one_incoming_entry_at_most():
    from decimal import Decimal as D

    from desktop.core.model import Trade, TradeType
    from desktop.data.formats.trade_mapping import new_trades

    def buy(note="", fee="1"):
        return Trade(dt.date(2024, 1, 5), TradeType.BUY, "COHU", D(10), D(20), D(fee), note=note)

    stored = [buy()]
    incoming = [buy(note="from the broker", fee="2"), buy(), buy(note="x")]  # notes, fees aside
    fresh, skipped = new_trades(stored, incoming)
    assert skipped == 1 and len(fresh) == 2
    other_day = Trade(dt.date(2024, 1, 6), TradeType.BUY, "COHU", D(10), D(20), D(1))
    dividend = Trade(dt.date(2024, 1, 5), TradeType.DIVIDEND, "COHU", amount=D("3"))
    assert new_trades(stored, [other_day, dividend]) == ([other_day, dividend], 0)


def test_a_field_over_the_csv_limit_is_refused_with_its_line(store, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(
        "date,type,symbol,quantity,price,fee,amount,currency,note\n"
        "2024-01-05,buy,COHU,1,20,,,,fine\n"
        f"2024-01-05,buy,COHU,1,20,,,,{'x' * 200_000}\n"
    )
    count, _, problems = import_trades(store, path, TODAY)
    assert count == 0 and store.trades() == []
    assert problems[0].field == "file" and "line 3 is not valid CSV" in problems[0].message


HEADER = "date,type,symbol,quantity,price,fee,amount,currency,note\n"


def test_a_quote_left_open_is_refused_naming_its_line_not_read_into_the_next_rows(tmp_path, store):
    path = tmp_path / "open.csv"
    path.write_text(
        HEADER + '2024-01-05,buy,COHU,100,32.10,1,,,"never closed\n2024-01-06,buy,SUM,10,40,0,,,\n'
    )
    count, _, problems = import_trades(store, path, TODAY)
    assert count == 0 and store.trades() == []
    assert [p.message for p in problems] == ["line 2 opens a quote that is never closed"]


def test_a_note_over_two_lines_in_quotes_is_read_whole(tmp_path, store):
    path = tmp_path / "multi.csv"
    path.write_text(HEADER + '2024-01-05,buy,COHU,100,32.10,1,,,"first line\nsecond line"\n')
    count, _, problems = import_trades(store, path, TODAY)
    assert problems == [] and [t.note for t in store.trades()] == ["first line\nsecond line"]


def test_a_header_naming_a_column_twice_is_refused(tmp_path, store):
    path = tmp_path / "twice.csv"
    path.write_text(HEADER.strip() + ",Quantity\n2024-01-05,buy,COHU,100,32.10,1,,,,5\n")
    count, _, problems = import_trades(store, path, TODAY)
    assert count == 0 and store.trades() == []
    (problem,) = problems
    assert "quantity (columns 4 and 10) more than once" in problem.message


def test_a_row_with_more_values_than_the_header_is_refused_not_cut(tmp_path, store):
    path = tmp_path / "extra.csv"
    path.write_text(
        HEADER
        + "2024-01-05,buy,COHU,100,32.10,1,,,fine\n"
        + "2024-01-06,buy,COHU,10,32.10,1,,,an unquoted, comma\n"
        + "2024-01-07,buy,COHU,10,32.10,1,,,trailing empties,,\n"
    )
    count, _, problems = import_trades(store, path, TODAY)
    assert count == 0 and store.trades() == []
    assert [p.message for p in problems] == [
        "line 3: 10 values for the header's 9 columns (a comma in an unquoted note?)"
    ]  # trailing empty values (a spreadsheet's) are no loss: only line 3 is refused


# -- hostile input: no crash, no partial import, every refusal placed ---------------------------
CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "buy",
            "sell",
            "dividend",
            "COHU",
            "2024-01-05",
            "1e308",
            "1e-999999",
            "NaN",
            "-inf",
            "1,5",
            "1.234,56",
            "0",
            "-3",
            "=HYPERLINK(1)",
            "'; DROP TABLE trades; --",
            '"',
            '""',
            "\x00",
            "\u202e",
            "9" * 400,
        ]
    ),
    st.text(max_size=12),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(CELL, min_size=0, max_size=11), min_size=1, max_size=6))
def test_hostile_rows_never_crash_and_never_import_part_of_a_file(tmp_path_factory, rows):
    from desktop.data.store import Store

    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "hostile.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write(HEADER)
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(row)
    with Store(folder / "p.sqlite") as store:
        count, skipped, problems = import_trades(store, path, TODAY)
        stored = store.trades()
        if problems:
            assert count == 0 and stored == []  # all or nothing
            for p in problems:  # each refusal says where: the file, or its line
                assert p.field == "file" or p.message.startswith("line "), p
        else:
            assert len(stored) == count
            for t in stored:  # what was taken is a real entry, as typed
                assert t.date <= TODAY and t.type.value in {c for r in rows for c in r}


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_at_all_is_read_or_refused_without_a_crash(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("text") / "any.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    trades, problems = read_trades(path, TODAY)
    assert trades or problems  # an empty file says so too
    for p in problems:
        assert p.field == "file" or p.message.startswith("line "), p
