"""The shipped presets read realistic broker files (written for these tests) into the entries a
person would type from the same statement, and every other row is skipped, said so."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.model import Trade, TradeType
from desktop.data.formats.trade_mapping import Mapping, Status, read_mapped, read_mapped_text
from desktop.data.formats.trade_presets import (
    INTERACTIVE_BROKERS,
    PORTFOLIO_DESK,
    US_BROKER,
    guess,
    presets,
    save,
    saved,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "imports"
TODAY = dt.date(2025, 1, 15)
B, S = TradeType.BUY, TradeType.SELL


def trade(day, kind, symbol="", quantity="0", price="0", fee="0", amount="0", currency="", note=""):
    return Trade(
        date=dt.date.fromisoformat(day),
        type=kind,
        symbol=symbol,
        quantity=D(quantity),
        price=D(price),
        fee=D(fee),
        amount=D(amount),
        currency=currency,
        note=note,
    )


def test_an_interactive_brokers_statement_reads_its_trades_dividends_taxes_and_cash():
    reading = read_mapped(FIXTURES / "ib_activity_statement.csv", INTERACTIVE_BROKERS, TODAY)
    assert reading.problems() == []
    iwm_june = "IWM(US4642876555) Cash Dividend USD 0.54 per Share"
    assert reading.trades() == [  # in the file's order: trades, dividends, tax, cash
        trade("2024-01-08", B, "COHU", "100", "32.1", "1", currency="USD"),
        trade("2024-09-16", S, "COHU", "40", "26.3", "1.0413", currency="USD"),
        trade("2024-01-10", B, "IWM", "20", "195.3", "1", currency="USD"),
        trade(
            "2024-06-11",
            TradeType.DIVIDEND,
            "IWM",
            amount="10.8",
            currency="USD",
            note=f"{iwm_june} (Ordinary Dividend)",
        ),
        trade(
            "2024-12-17",
            TradeType.DIVIDEND,
            "IWM",
            amount="14",
            currency="USD",
            note="IWM(US4642876555) Cash Dividend USD 0.7 per Share (Ordinary Dividend)",
        ),
        trade(
            "2024-06-11",
            TradeType.TAX,
            "IWM",
            amount="1.08",
            currency="USD",
            note=f"{iwm_june} - US Tax",
        ),
        trade(
            "2024-01-03",
            TradeType.DEPOSIT,
            amount="8000",
            currency="USD",
            note="Electronic Fund Transfer",
        ),
        trade(
            "2024-11-20",
            TradeType.WITHDRAWAL,
            amount="500",
            currency="USD",
            note="Disbursement Initiated by Jane Investor",
        ),
        trade("2024-02-05", TradeType.FEE, amount="10", currency="USD", note="Market data fee"),
    ]
    skipped = {r.line: r.reason for r in reading.rows if r.status is Status.SKIPPED}
    # The forex conversion is no trade of a security; the totals are totals.
    assert skipped == {
        24: "Asset Category is 'Forex', not 'Stocks' or 'Mutual Funds'",
        29: "a total, not an entry",
        32: "a total, not an entry",
        36: "a total, not an entry",
    }
    # Sub-totals and totals of the Trades section are neither Data rows nor read at all.
    assert {r.line for r in reading.rows} == {17, 18, 20, 24, 27, 28, 29, 31, 32, 34, 35, 36, 38}


def test_a_us_brokers_history_reads_buys_sells_reinvestment_dividends_interest_and_cash():
    reading = read_mapped(FIXTURES / "us_broker_history.csv", US_BROKER, TODAY)
    assert reading.problems() == []
    fund = "TETON WESTWOOD SMALLCAP EQUITY I"
    assert reading.trades() == [  # newest first, as the broker writes it
        trade("2024-12-16", B, "WWSIX", "1.046", "24.86", note=fund),
        trade("2024-12-16", TradeType.DIVIDEND, "WWSIX", amount="26.00", note=fund),
        trade("2024-11-04", S, "SUM", "20", "50.12", "0.05", note="SUMMIT MATLS INC CL A"),
        # Posted on 10/01 "as of" 09/30: the day it was earned.
        trade("2024-09-30", TradeType.INTEREST, amount="0.87", note="SCHWAB1 INT 08/29-09/29"),
        trade("2024-03-14", B, "SUM", "40", "39.95", note="SUMMIT MATLS INC CL A"),
        trade("2024-02-20", B, "WWSIX", "200", "23.10", note=fund),
        trade("2024-02-02", B, "COHU", "50", "31.40", note="COHU INC"),
        trade("2024-01-31", TradeType.WITHDRAWAL, amount="500.00", note="JOURNAL FRM ...1234"),
        trade(
            "2024-01-16",
            TradeType.DEPOSIT,
            amount="8000.00",
            note="Tfr JPMORGAN CHASE BA, JANE INVESTOR",
        ),
    ]
    [total] = [r for r in reading.rows if r.status is Status.SKIPPED]
    assert total.line == 11 and total.reason == "a total, not an entry"


def test_an_action_the_preset_does_not_know_stops_the_import_naming_its_line(tmp_path):
    text = (FIXTURES / "us_broker_history.csv").read_text().splitlines()
    text.insert(3, '"06/10/2024","Stock Split","COHU","COHU INC","50","","",""')
    reading = read_mapped_text("\n".join(text), US_BROKER, TODAY)
    assert [(p.field, p.message) for p in reading.problems()] == [
        ("type", "line 4: 'Stock Split' is not a kind of entry this file's mapping knows")
    ]


def test_numbers_and_dates_as_europeans_write_them(tmp_path):
    mapping = Mapping(
        name="bank",
        columns={
            "date": "Datum",
            "type": "Art",
            "symbol": "Wertpapier",
            "quantity": "Stück",
            "price": "Kurs",
            "fee": "Gebühr",
            "amount": "Betrag",
        },
        date_format="eu",
        decimal=",",
        delimiter=";",
        types={"kauf": "buy", "verkauf": "sell", "einzahlung": "deposit"},
        signed=True,
    )
    text = (
        "Datum;Art;Wertpapier;Stück;Kurs;Gebühr;Betrag\n"
        "02.01.2024;Einzahlung;;;;;10.000,00\n"
        "05.01.2024;Kauf;COHU;1.000;3,21;4,90;-3.214,90\n"
        "15/03/2024;Verkauf;COHU;-250;32,10;0;8.025,00\n"
        "16.03.2024;Kauf;COHU;1,5;32.10;0;\n"  # "32.10": a dot only separates thousands here
    )
    reading = read_mapped_text(text, mapping, TODAY)
    assert reading.trades() == [
        trade("2024-01-02", TradeType.DEPOSIT, amount="10000.00"),
        trade("2024-01-05", B, "COHU", "1000", "3.21", "4.90"),
        trade("2024-03-15", S, "COHU", "250", "32.10", "0"),
    ]
    assert [p.message for p in reading.problems()] == [
        "line 5: '32.10' is not a number written 1.234,56"
    ]


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("2024-13-01", "'2024-13-01' is not a real date"),
        ("01/02/2024", "'01/02/2024' is not a date written 2024-03-15 (year-month-day)"),
        ("", "is empty"),
    ],
)
def test_a_date_the_format_cannot_read_is_refused_with_the_format(cell, why):
    mapping = Mapping(name="x", columns={"date": "d", "type": "t"}, signed=True)
    reading = read_mapped_text(f"d,t\n{cell},deposit\n", mapping, TODAY)
    assert reading.rows[0].problems[0].message == why


def test_the_file_is_recognised_from_its_first_rows():
    assert guess((FIXTURES / "ib_activity_statement.csv").read_text()) is INTERACTIVE_BROKERS
    assert guess((FIXTURES / "us_broker_history.csv").read_text()) is US_BROKER
    assert guess("date,type,symbol\n2024-01-02,deposit,\n") is PORTFOLIO_DESK
    assert guess("when,what\n") is None


def test_a_saved_preset_reads_back_and_never_takes_a_shipped_name(store):
    mine = Mapping(
        name="my bank",
        columns={"date": "Datum", "type": "Art", "amount": "Betrag"},
        date_format="eu",
        decimal=",",
        delimiter=";",
        types={"einzahlung": "deposit"},
        signed=True,
    )
    assert save(store, mine) == ""
    assert saved(store) == {"my bank": mine}
    assert presets(store)["my bank"] == mine and "interactive-brokers" in presets(store)
    assert "comes with the app" in save(store, Mapping(**{**mine.__dict__, "name": "us-broker"}))
    assert save(store, Mapping(name="bad", columns={"type": "t"})) == (
        "no column is chosen for the date"
    )
    assert INTERACTIVE_BROKERS == Mapping.from_json(INTERACTIVE_BROKERS.to_json())
    with pytest.raises(ValueError, match="unknown types"):
        Mapping.from_json(Mapping(name="x", columns={"date": "d"}, default_type="gift").to_json())


BROKER_CELL = st.one_of(
    st.sampled_from(
        [
            "Buy",
            "Sell",
            "Journal",
            "Reinvest Shares",
            "$1,234.56",
            "-$1,234.56",
            "(12.50)",
            "1.234,56",
            "03/04/2024",
            "03/04/2024 as of 03/01/2024",
            "13/45/2024",
            "COHU",
            "",
            "NaN",
            "1e9",
            "$",
            "-",
            "()",
            "Transactions Total",
            '"',
            "=1+1",
            "\x00",
        ]
    ),
    st.text(max_size=10),
)


@settings(max_examples=120, deadline=None)
@given(rows=st.lists(st.lists(BROKER_CELL, min_size=0, max_size=10), min_size=1, max_size=6))
def test_hostile_broker_rows_are_each_a_trade_skipped_or_refused_with_their_line(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(US_BROKER.columns[f] for f in US_BROKER.columns)
    writer.writerows(rows)
    reading = read_mapped_text(buffer.getvalue(), US_BROKER, TODAY)
    for p in reading.problems():
        assert p.field == "file" or p.message.startswith("line "), p
    for row in reading.rows:
        assert (row.trade is not None) == (row.status is Status.TRADE)
        assert row.status is Status.TRADE or row.reason
    for t in reading.trades():
        assert t.date <= TODAY and t.quantity >= 0 and t.amount >= 0 and t.fee >= 0


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=400))
def test_any_text_under_any_preset_is_read_or_refused_without_a_crash(text):
    for mapping in (INTERACTIVE_BROKERS, US_BROKER):
        reading = read_mapped_text(text, mapping, TODAY)
        assert reading.trades() or reading.problems()
