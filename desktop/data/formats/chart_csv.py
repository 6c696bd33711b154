"""A chart's data as CSV: one row per date (ISO), a blank cell where a series has no value."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def write_chart_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """``frame`` (indexed by date, or by its own columns when not dated) to ``path``."""
    import pandas as pd

    dated = isinstance(frame.index, pd.DatetimeIndex)
    frame.to_csv(path, index=dated, date_format="%Y-%m-%d", na_rep="")
