"""The SQLite store: the one place that speaks SQL.

- ``database``: the ``Store`` (connection, transactions, reads and writes), ``StoreError``;
- ``migrations``: the schema, as append-only sqlite-utils migrations;
- ``rows``: turning table rows into core types and back.
"""

from desktop.data.store.database import (
    ACTION_FIELDS,
    PRICE_FIELDS,
    SIMULATED_SOURCE,
    Store,
    StoreError,
)

__all__ = ["ACTION_FIELDS", "PRICE_FIELDS", "SIMULATED_SOURCE", "Store", "StoreError"]
