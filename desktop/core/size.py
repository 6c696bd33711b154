"""Small against large: the size premium and the Russell 2000 against the S&P 500.

- ``size_premium``: what Ken French's monthly SMB factor (small minus big, fractions on month
  ends, as ``parse_french_csv`` gives its ``smb`` column) paid a year over the whole file and
  over its last 120 months. Geometric: the product of (1 + SMB) to the power 12 / months, less
  1 (what a long-short position compounded to, per year); arithmetic: the mean month times 12.
  A month without a finite value (French writes -99.99 for missing, which the parser reads as
  NaN) or a month missing from the sequence is refused, never skipped: a premium over a file
  with holes would not be the file's. The refusal is data, a ``problem`` sentence naming the
  months, with every figure ``None``.
- ``size_ratio``: ^RUT / ^GSPC on the sessions both have a close (rising while small caps lead)
  and ^RUT's trailing 12-month price return less ^GSPC's. Each return runs from the close on
  the last common session on or before the same date 365 days earlier, as the performance
  screen's rolling one-year return does (``chart_data.rolling``), NaN until a year of common
  history exists.

Pure: no Qt, no I/O; the callers read the factor file and the closes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: The recent window of ``size_premium``: the last ten years of months.
RECENT_MONTHS = 120
#: The small-cap and the large-cap index ``size_ratio`` compares.
SMALL, LARGE = "^RUT", "^GSPC"
#: How far back the trailing return of ``size_ratio`` looks, in calendar days.
TRAILING_DAYS = 365


def _month(stamp: pd.Timestamp) -> str:
    return f"{stamp:%Y-%m}"


def _annualized(smb: np.ndarray) -> tuple[float, float]:
    """(geometric, arithmetic) yearly rates of monthly returns ``smb``."""
    geometric = float(np.expm1(np.log1p(smb).sum() * 12.0 / len(smb)))
    return geometric, float(smb.mean() * 12.0)


def _holes(smb: pd.Series) -> str:
    """Why the months cannot be compounded as they are, or ``""``."""
    values = smb.to_numpy(dtype=float)
    bad = [_month(d) for d, v in zip(smb.index, values, strict=True) if not v > -1.0 or v == np.inf]
    if bad:
        shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        return (
            f"SMB has no usable value for {len(bad)} month{'s' if len(bad) > 1 else ''} "
            f"({shown}): the premium is not computed over a file with holes"
        )
    months = pd.DatetimeIndex(smb.index).to_period("M")
    steps = np.diff(months.asi8)
    if (steps != 1).any():
        at = int(np.flatnonzero(steps != 1)[0])
        return (
            f"the SMB months are not one after another ({months[at]} is followed by "
            f"{months[at + 1]}): the premium is not computed over a file with holes"
        )
    return ""


def size_premium(smb: pd.Series) -> dict:
    """The size premium of the monthly SMB factor ``smb`` (fractions, month-end index).

    Keys: ``first_month`` and ``last_month`` ("YYYY-MM"), ``months``, ``annualized_geometric``
    and ``annualized_arithmetic`` over all of them, ``last_10y_from`` (the first of the last
    120 months), ``last_10y_geometric`` and ``last_10y_arithmetic`` over those, and
    ``problem``: ``""``, or why the figures are ``None`` (no months, a month without a value,
    a month missing). With fewer than 120 months the last-10y figures are ``None``.
    """
    out: dict = {
        "first_month": None,
        "last_month": None,
        "months": len(smb),
        "annualized_geometric": None,
        "annualized_arithmetic": None,
        "last_10y_from": None,
        "last_10y_geometric": None,
        "last_10y_arithmetic": None,
        "problem": "",
    }
    if smb.empty:
        out["problem"] = "the factor file has no SMB months"
        return out
    smb = smb.sort_index()
    out["first_month"], out["last_month"] = _month(smb.index[0]), _month(smb.index[-1])
    problem = _holes(smb)
    if problem:
        out["problem"] = problem
        return out
    values = smb.to_numpy(dtype=float)
    out["annualized_geometric"], out["annualized_arithmetic"] = _annualized(values)
    if len(values) >= RECENT_MONTHS:
        out["last_10y_from"] = _month(smb.index[-RECENT_MONTHS])
        recent = _annualized(values[-RECENT_MONTHS:])
        out["last_10y_geometric"], out["last_10y_arithmetic"] = recent
    return out


def _sessions(closes: pd.Series) -> pd.Series:
    """The closes that count, by day: finite and above zero."""
    closes = closes.astype(float)
    closes = closes[np.isfinite(closes.to_numpy()) & (closes.to_numpy() > 0.0)]
    closes.index = pd.DatetimeIndex(closes.index).normalize()
    return closes[~closes.index.duplicated(keep="last")].sort_index()


def size_ratio(rut: pd.Series, gspc: pd.Series) -> pd.DataFrame:
    """``ratio`` (^RUT / ^GSPC) and ``excess_12m`` (^RUT's trailing 12-month return less
    ^GSPC's) on the sessions both closes have, indexed by ``date``."""
    both = pd.concat([_sessions(rut), _sessions(gspc)], axis=1, join="inner", keys=["r", "g"])
    days = pd.DatetimeIndex(both.index, name="date")
    r, g = both["r"].to_numpy(dtype=float), both["g"].to_numpy(dtype=float)
    frame = pd.DataFrame({"ratio": r / g}, index=days)
    if not len(days):
        frame["excess_12m"] = np.array([], dtype=float)
        return frame
    back = days - pd.Timedelta(days=TRAILING_DAYS)
    then = np.searchsorted(days, back, "right") - 1  # the last common session on or before
    ok = then >= 0
    at = np.maximum(then, 0)
    excess = (r / r[at] - 1.0) - (g / g[at] - 1.0)
    frame["excess_12m"] = np.where(ok, excess, np.nan)
    return frame
