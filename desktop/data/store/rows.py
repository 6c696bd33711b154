"""Rows of the store's tables turned into core types and back (no SQL is run here)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from desktop.core.fundamentals import Fundamentals
from desktop.core.model import Instrument, InstrumentKind, Trade, TradeType

INSTRUMENT_COLUMNS = "symbol, name, kind, currency, exchange, timezone, verified"


def instrument(row: tuple) -> Instrument:
    symbol, name, kind, currency, exchange, timezone, verified = row
    try:
        kind_value = InstrumentKind(kind)
    except ValueError:
        kind_value = InstrumentKind.UNKNOWN
    return Instrument(symbol, name, kind_value, currency, exchange, timezone, bool(verified))


TRADE_COLUMNS = "id, date, type, symbol, quantity, price, fee, note, amount, currency"


def trade(row: tuple) -> Trade:
    tid, day, kind, symbol, quantity, price, fee, note, amount, currency = row
    return Trade(
        date=dt.date.fromisoformat(day),
        type=TradeType(kind),
        symbol=symbol or "",
        quantity=Decimal(quantity),
        price=Decimal(price),
        fee=Decimal(fee),
        note=note,
        id=tid,
        amount=Decimal(amount),
        currency=currency,
    )


def trade_fields(trade: Trade) -> dict[str, Any]:
    return {f: getattr(trade, f) for f in Trade.__slots__}


def trade_row(trade: Trade) -> dict[str, Any]:
    """The ``trades`` row of ``trade``: exact decimals kept as text."""
    return {
        "id": trade.id,
        "date": trade.date.isoformat(),
        "type": trade.type.value,
        "symbol": trade.symbol or None,
        "quantity": format(trade.quantity, "f"),
        "price": format(trade.price, "f"),
        "fee": format(trade.fee, "f"),
        "note": trade.note,
        "amount": format(trade.amount, "f"),
        "currency": trade.currency,
    }


FUNDAMENTALS_COLUMNS = (
    "symbol, fetched, currency, market_cap, total_debt, total_cash, return_on_equity, "
    "consensus, consensus_mean, analysts, trailing_pe, forward_pe, trailing_eps, "
    "operating_margin, debt_to_equity"
)


def fundamentals(row: tuple) -> Fundamentals:
    symbol, fetched, currency, market_cap, total_debt, total_cash, roe, *rest = row
    consensus, mean, analysts, trailing_pe, forward_pe, eps, margin, debt_to_equity = rest
    return Fundamentals(
        symbol=symbol,
        fetched=dt.date.fromisoformat(fetched),
        currency=currency or "",
        market_cap=market_cap,
        total_debt=total_debt,
        total_cash=total_cash,
        return_on_equity=roe,
        consensus=consensus,
        consensus_mean=mean,
        analysts=analysts,
        trailing_pe=trailing_pe,
        forward_pe=forward_pe,
        trailing_eps=eps,
        operating_margin=margin,
        debt_to_equity=debt_to_equity,
    )


def instrument_row(instrument: Instrument) -> dict[str, Any]:
    return {
        "symbol": instrument.symbol,
        "name": instrument.name,
        "kind": instrument.kind.value,
        "currency": instrument.currency,
        "exchange": instrument.exchange,
        "timezone": instrument.timezone,
        "verified": int(instrument.verified),
    }


def fundamentals_row(f: Fundamentals) -> dict[str, Any]:
    return {
        "symbol": f.symbol,
        "fetched": f.fetched.isoformat(),
        "currency": f.currency,
        "market_cap": f.market_cap,
        "total_debt": f.total_debt,
        "total_cash": f.total_cash,
        "return_on_equity": f.return_on_equity,
        "consensus": f.consensus,
        "consensus_mean": f.consensus_mean,
        "analysts": f.analysts,
        "trailing_pe": f.trailing_pe,
        "forward_pe": f.forward_pe,
        "trailing_eps": f.trailing_eps,
        "operating_margin": f.operating_margin,
        "debt_to_equity": f.debt_to_equity,
    }
