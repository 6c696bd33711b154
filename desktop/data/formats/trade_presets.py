"""The mappings shipped for common files of trades, and the ones a user saves.

Each preset names the headers it expects (the README lists them too). A user's own mappings,
saved from the import dialog, are kept in the database's settings under ``import_presets``,
as JSON, by name.
"""

from __future__ import annotations

import csv
import json

from desktop.data.formats.csv_table import HEADER_SEARCH_LINES
from desktop.data.formats.trade_mapping import (
    BUY_OR_SELL,
    DEPOSIT_OR_WITHDRAWAL,
    FIELDS,
    SKIP,
    Mapping,
    has_section,
)
from desktop.data.store import Store

PORTFOLIO_DESK = Mapping(
    name="portfolio-desk",
    columns={f: f for f in FIELDS},
    required=("date", "type"),
    strict=True,
    description="Portfolio Desk's own CSV (export trades): "
    "date,type,symbol,quantity,price,fee,amount,currency,note",
)


def _ib_cash(
    name: str, section: str, kind: str, *, of_a_security: bool = False, date: str = "Date"
) -> Mapping:
    """A cash table of an Interactive Brokers statement (``Currency,Date,Description,Amount``):
    each row an entry of ``kind``, the amount's magnitude; a dividend's or a tax's security
    named at the start of its description (``IWM(US4642876555) Cash Dividend ...``)."""
    columns = {"date": date, "amount": "Amount", "currency": "Currency", "note": "Description"}
    return Mapping(
        name=f"interactive-brokers-{name}",
        section=section,
        columns={**columns, "symbol": "Description"} if of_a_security else columns,
        required=("date", "amount"),
        default_type=kind,
        patterns={"symbol": r"^\s*([A-Z0-9.\-]+)\s*\("} if of_a_security else {},
        skip_starting=("Total",),
        signed=True,
    )


#: An Interactive Brokers activity statement saved as CSV (Reports > Statements > Activity,
#: format CSV): its Trades table (stocks and funds, one row per order), and its Dividends,
#: Withholding Tax, Fees and Deposits & Withdrawals tables.
INTERACTIVE_BROKERS = Mapping(
    name="interactive-brokers",
    section="Trades",
    columns={
        "date": "Date/Time",
        "symbol": "Symbol",
        "quantity": "Quantity",
        "price": "T. Price",
        "fee": "Comm/Fee",
        "currency": "Currency",
    },
    required=("date", "symbol", "quantity", "price"),
    default_type=BUY_OR_SELL,
    keep={"DataDiscriminator": ("Order",), "Asset Category": ("Stocks", "Mutual Funds")},
    signed=True,
    description="Interactive Brokers activity statement (CSV): the Trades section "
    "(Trades,Header,DataDiscriminator,Asset Category,Currency,Symbol,Date/Time,Quantity,"
    "T. Price,...,Comm/Fee,...), with its Dividends, Withholding Tax, Fees and "
    "Deposits & Withdrawals sections",
    also=(
        _ib_cash("dividends", "Dividends", "dividend", of_a_security=True),
        _ib_cash("withholding", "Withholding Tax", "tax", of_a_security=True),
        _ib_cash("fees", "Fees", "fee"),
        _ib_cash("deposits", "Deposits & Withdrawals", DEPOSIT_OR_WITHDRAWAL, date="Settle Date"),
    ),
)

#: A US discount broker's transaction history (as Schwab writes it: Accounts > History >
#: Export): "Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount",
#: dates MM/DD/YYYY (or "MM/DD/YYYY as of MM/DD/YYYY"), money as $1,234.56 and -$1,234.56.
US_BROKER = Mapping(
    name="us-broker",
    columns={
        "date": "Date",
        "type": "Action",
        "symbol": "Symbol",
        "quantity": "Quantity",
        "price": "Price",
        "fee": "Fees & Comm",
        "amount": "Amount",
        "note": "Description",
    },
    required=("date", "type", "amount"),
    date_format="us",
    types={
        "buy": "buy",
        "sell": "sell",
        "reinvest shares": "buy",
        "cash dividend": "dividend",
        "qualified dividend": "dividend",
        "non-qualified div": "dividend",
        "special dividend": "dividend",
        "reinvest dividend": "dividend",
        "pr yr cash div": "dividend",
        "long term cap gain": "dividend",
        "short term cap gain": "dividend",
        "bank interest": "interest",
        "credit interest": "interest",
        "moneylink transfer": DEPOSIT_OR_WITHDRAWAL,
        "moneylink deposit": "deposit",
        "wire funds": "withdrawal",
        "wire received": "deposit",
        "funds received": "deposit",
        "journal": DEPOSIT_OR_WITHDRAWAL,
        "service fee": "fee",
        "adr mgmt fee": "fee",
        "margin interest": "fee",
        "foreign tax paid": "tax",
        "nra tax adj": "tax",
        "security transfer": SKIP,
    },
    skip_starting=("Transactions Total",),
    signed=True,
    description="A US discount broker's transaction history (as Schwab exports it): "
    '"Date","Action","Symbol","Description","Quantity","Price","Fees & Comm","Amount"',
)

SHIPPED: dict[str, Mapping] = {m.name: m for m in (PORTFOLIO_DESK, INTERACTIVE_BROKERS, US_BROKER)}
_SETTING = "import_presets"


def saved(store: Store) -> dict[str, Mapping]:
    """The user's own mappings, by name (one that no longer reads is left out)."""
    try:
        kept = json.loads(store.setting(_SETTING) or "{}")
    except json.JSONDecodeError:
        return {}
    found = {}
    for name, text in kept.items() if isinstance(kept, dict) else ():
        try:
            found[name] = Mapping.from_json(text)
        except ValueError:
            continue
    return found


def presets(store: Store) -> dict[str, Mapping]:
    """Every preset: the shipped ones, then the user's."""
    return {**SHIPPED, **{n: m for n, m in saved(store).items() if n not in SHIPPED}}


def save(store: Store, mapping: Mapping) -> str:
    """Keep ``mapping`` under its name; "" or why not (a shipped preset's name is taken)."""
    name = mapping.name.strip()
    if not name:
        return "give the preset a name"
    if name in SHIPPED:
        return f"{name} is the name of a preset that comes with the app"
    problem = mapping.problem()
    if problem:
        return problem
    try:
        kept = json.loads(store.setting(_SETTING) or "{}")
    except json.JSONDecodeError:
        kept = {}
    if not isinstance(kept, dict):
        kept = {}
    kept[name] = mapping.to_json()
    store.set_setting(_SETTING, json.dumps(kept, sort_keys=True))
    return ""


def guess(text: str, store: Store | None = None) -> Mapping | None:
    """The preset that reads a file's text: the first whose section the file has, or whose
    required columns one of its first rows names; ``None`` if none does."""
    rows = []
    for line in text.splitlines()[:HEADER_SEARCH_LINES]:
        try:
            rows += [[v.strip().lower() for v in r] for r in csv.reader([line])]
        except csv.Error:
            continue
    candidates = presets(store) if store is not None else SHIPPED
    for mapping in candidates.values():
        if mapping.section:
            if has_section(text, mapping):
                return mapping
        elif any(mapping.is_header(names) for names in rows):
            return mapping
    return None
