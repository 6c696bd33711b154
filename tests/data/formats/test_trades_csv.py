"""Trades CSV: a round trip keeps every entry exactly; a bad file imports nothing and names
every bad row by line."""

import datetime as dt

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
    from desktop.data.formats.trades_csv import new_trades

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
