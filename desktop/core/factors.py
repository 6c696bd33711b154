"""The factor lens: how much of a portfolio's return is the market, size (SMB) and value (HML).

A time-series regression of the portfolio's excess returns on the Fama-French three factors,

    r_p - rf = alpha + b_mkt * (r_m - rf) + b_smb * SMB + b_hml * HML + e,

by ordinary least squares with classical standard errors: sigma^2 = SSR / (n - k) with k = 4
estimated coefficients, cov = sigma^2 (X'X)^-1, t = coefficient / standard error. Errors are
assumed uncorrelated and of equal variance; daily returns are neither quite, so read t-statistics
as a guide rather than a test.

The factors come either from Kenneth French's library (``desktop.data.sources.french``, the real
thing) or, when that is out of reach or too old, from ETF proxies (``proxy_factors``): small
minus large is IWM (Russell 2000) minus SPY (S&P 500), value minus growth is IWN minus IWO
(Russell 2000 Value and Growth). The proxies are not the academic factors: both legs of SMB hold
value and growth, and both legs of HML are small caps. Each result says which source it came from.

Pure: frames in, frames and dataclasses out; no I/O. Returns are per-period fractions (0.01 = 1%)
on a ``DatetimeIndex``; a regression that cannot be run is a message, never an exception.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: The regressors, in the order of the coefficients after the intercept.
FACTORS = ("mkt_rf", "smb", "hml")
#: Closes ``proxy_factors`` needs: small caps, large caps, small value, small growth.
PROXY_SYMBOLS = ("IWM", "SPY", "IWN", "IWO")
PROXY_SOURCE = "ETF proxies"
PERIODS_PER_YEAR = {"daily": 252, "monthly": 12}
#: Fewest observations for a three-factor regression (see ``ols``): 4 coefficients + 2.
MIN_OBSERVATIONS = len(FACTORS) + 3


@dataclass(frozen=True, slots=True)
class Estimate:
    """One regression coefficient.

    - ``value``: the OLS estimate (alpha: a per-period return; a beta: a sensitivity).
    - ``se``: its classical standard error, ``sqrt(sigma^2 * [(X'X)^-1]_jj)``.
    - ``t``: ``value / se``; infinite when the fit is exact (``se`` 0), NaN for 0/0.
    """

    value: float
    se: float
    t: float


@dataclass(frozen=True, slots=True)
class FactorExposure:
    """What a portfolio's returns owe to the market, size and value, over one window.

    - ``source``: where the factors came from: ``"Fama-French 202408"`` (the library and its
      vintage) or ``"ETF proxies"``.
    - ``frequency``: ``"daily"`` or ``"monthly"`` (daily returns compounded into calendar months).
    - ``n``: observations (days or months) in the regression.
    - ``start``, ``end``: the first and last observation's date (a month's last calendar day for
      monthly regressions).
    - ``alpha``: the intercept, a return per period beyond what the factors explain.
    - ``alpha_annual``: ``alpha`` compounded over a year, ``(1 + alpha) ** periods_per_year - 1``.
    - ``mkt_rf``, ``smb``, ``hml``: the betas; 1.0 on the market is the market's risk, a positive
      ``smb`` leans to small caps, a positive ``hml`` to value, a negative one to growth.
    - ``r2``: share of the variance of the excess returns explained, ``1 - SSR / SST``.
    - ``adj_r2``: ``r2`` penalised for the coefficients, ``1 - (1 - r2)(n - 1)/(n - k)``.
    - ``residual_se``: sigma, the per-period standard deviation of what is left unexplained.
    - ``periods_per_year``: 252 (daily) or 12 (monthly), used to annualise.
    - ``attribution``: the sum of the excess returns over the observations split by the fit,
      ``sum(y) = b_mkt sum(mkt_rf) + b_smb sum(SMB) + b_hml sum(HML) + n alpha + sum(e)``:
      keys ``market``, ``size``, ``value``, ``alpha``, ``residual`` (the last is 0 up to
      rounding: least squares with an intercept leaves residuals that sum to 0), and ``total``.
    """

    source: str
    frequency: str
    n: int
    start: dt.date
    end: dt.date
    alpha: Estimate
    alpha_annual: float
    mkt_rf: Estimate
    smb: Estimate
    hml: Estimate
    r2: float
    adj_r2: float
    residual_se: float
    periods_per_year: int
    attribution: dict[str, float]

    @property
    def betas(self) -> dict[str, Estimate]:
        """The factor coefficients by column name, in ``FACTORS`` order."""
        return {name: getattr(self, name) for name in FACTORS}

    @property
    def in_words(self) -> str:
        """Where most of the excess return over the risk-free rate came from, in a sentence."""
        labels = {
            "market": "the market",
            "size": "the size tilt (SMB)",
            "value": "the value tilt (HML)",
            "alpha": "alpha (what the factors leave)",
        }
        parts = {k: self.attribution[k] for k in labels}
        total = self.attribution["total"]
        key = max(parts, key=lambda k: abs(parts[k]))
        sign = "gain" if parts[key] >= 0 else "loss"
        unit = "days" if self.frequency == "daily" else "months"
        return (
            f"Most of the {'return' if total >= 0 else 'loss'} over the risk-free rate "
            f"({total:+.1%} summed over {self.n} {unit}) "
            f"came from {labels[key]}: a {sign} of {parts[key]:+.1%}."
        )


def proxy_factors(closes: pd.DataFrame, rf: pd.Series | None = None) -> pd.DataFrame:
    """Daily factor proxies from ETF closes: columns ``mkt_rf, smb, hml, rf``, fractions.

    ``closes`` needs columns IWM, SPY, IWN and IWO and should be total-return closes (adjusted
    for dividends); with raw closes every leg misses its dividends. Returns are simple returns
    between consecutive dates on which all four have a close, so a day one of them skipped makes
    a two-day return for all four alike.

    - ``smb = r(IWM) - r(SPY)``, ``hml = r(IWN) - r(IWO)``, ``mkt_rf = r(SPY) - rf``.
    - ``rf``: the per-day risk-free return (e.g. the French file's ``rf``); dates it lacks are
      left out. Without it rf is taken as 0, so ``mkt_rf`` is SPY's whole return and alpha
      absorbs the T-bill rate; ``attrs["rf_assumed_zero"]`` says so.

    The frame is labelled: ``attrs`` holds ``source="ETF proxies"``, ``proxy=True`` and
    ``frequency="daily"``. Raises ``KeyError`` when a column is missing: that is a caller's bug.
    """
    missing = [s for s in PROXY_SYMBOLS if s not in closes.columns]
    if missing:
        raise KeyError(f"proxy_factors needs closes for {', '.join(missing)}")
    prices = closes[list(PROXY_SYMBOLS)].astype(float).sort_index().dropna()
    r = (prices / prices.shift(1) - 1).iloc[1:]
    if rf is None:
        risk_free = pd.Series(0.0, index=r.index)
    else:
        risk_free = rf.astype(float).reindex(r.index)
    out = pd.DataFrame(
        {
            "mkt_rf": r["SPY"] - risk_free,
            "smb": r["IWM"] - r["SPY"],
            "hml": r["IWN"] - r["IWO"],
            "rf": risk_free,
        }
    ).dropna()
    out.index.name = "date"
    out.attrs.update(source=PROXY_SOURCE, proxy=True, frequency="daily", rf_assumed_zero=rf is None)
    return out


def factor_lens(
    returns: pd.Series,
    frames: list[tuple[pd.DataFrame | None, str]],
    frequency: str = "daily",
) -> tuple[FactorExposure | None, str]:
    """The exposure of the portfolio's daily ``returns`` to the first of ``frames`` (factor
    frames with ``rf``, best first, or why each is missing) that covers them; ``"monthly"``
    compounds the days and the factors into calendar months first (the month's risk-free rate
    from the factors' days the portfolio has). ``(None, why)`` when none will do."""
    messages = []
    for frame, missing in frames:
        if frame is None:
            messages.append(missing)
            continue
        if frequency == "monthly":
            both = frame.reindex(returns.index).dropna()
            months = compound_monthly(returns.loc[both.index])
            factor_months = compound_monthly(both)
            exposure, message = factor_regression(
                portfolio_excess(months, factor_months["rf"]),
                factor_months,
                frequency="monthly",
                source=frame.attrs.get("source"),
            )
        else:
            exposure, message = factor_regression(portfolio_excess(returns, frame["rf"]), frame)
        if exposure is not None:
            return exposure, ""
        messages.append(f"{frame.attrs.get('source', 'factors')}: {message}")
    return None, "factor lens unavailable: " + "; ".join(m for m in messages if m)


def portfolio_excess(returns: pd.Series, rf: pd.Series) -> pd.Series:
    """``returns - rf`` on the dates both have, named ``excess``.

    Both are per-period fractions at the same frequency (daily returns with the daily rf). Dates
    missing from either side, or NaN on either side, are left out rather than guessed.
    """
    both = pd.concat({"r": returns.astype(float), "rf": rf.astype(float)}, axis=1, join="inner")
    both = both.dropna().sort_index()
    return (both["r"] - both["rf"]).rename("excess")


def factor_regression(
    excess_returns: pd.Series,
    factors: pd.DataFrame,
    *,
    frequency: str = "daily",
    source: str | None = None,
) -> tuple[FactorExposure | None, str]:
    """Regress ``excess_returns`` on ``factors`` (columns ``mkt_rf, smb, hml``) with intercept.

    The regression uses the dates both sides have, leaving out any with a NaN. ``"monthly"``
    compounds each side into calendar months first, ``prod(1 + r) - 1``: when both are daily it
    first keeps only their common days, so a month covers the same days on both sides; a side
    that is already monthly (French's monthly file) is matched by month as it is, so a returns
    series starting mid-month makes its first month a partial one.

    ``source`` labels the result; by default ``factors.attrs["source"]`` (set by the French parser
    and ``proxy_factors``). Returns ``(exposure, "")``, or ``(None, why)`` when the regression
    cannot be run: too few observations, factors that move together, mismatched frequencies.
    """
    periods = PERIODS_PER_YEAR.get(frequency)
    if periods is None:
        return None, f"unknown frequency {frequency!r}: use 'daily' or 'monthly'"
    absent = [name for name in FACTORS if name not in factors.columns]
    if absent:
        return None, f"the factors have no {', '.join(absent)} column"
    label = source or str(factors.attrs.get("source") or "factors")

    y = _dated(excess_returns.astype(float).rename("y"))
    x = _dated(factors[list(FACTORS)].astype(float))
    if y is None or x is None:
        return None, "the returns and the factors need a date index without repeated dates"

    if frequency == "daily":
        for what, side in (("factors", x), ("returns", y)):
            if len(side) >= MIN_OBSERVATIONS and _is_monthly(side.index):
                return None, f"the {what} are monthly: use a monthly regression"
        data = _clean(pd.concat([y, x], axis=1, join="inner"))
    elif not _is_monthly(y.index) and not _is_monthly(x.index):
        data = compound_monthly(_clean(pd.concat([y, x], axis=1, join="inner")))
    else:
        y_m = compound_monthly(_clean(y.to_frame()))
        x_m = compound_monthly(_clean(x))
        data = pd.concat([y_m, x_m], axis=1, join="inner")

    if len(data) < MIN_OBSERVATIONS:
        unit = "days" if frequency == "daily" else "months"
        return None, (
            f"only {len(data)} {unit} with both returns and factors; the regression needs at "
            f"least {MIN_OBSERVATIONS}"
        )
    fit, problem = ols(data["y"].to_numpy(), data[list(FACTORS)].to_numpy())
    if fit is None:
        return None, problem
    alpha, mkt_rf, smb, hml = (
        Estimate(c, s, t) for c, s, t in zip(fit.coef, fit.se, fit.t, strict=True)
    )
    sums = data.sum()
    parts = {
        "market": mkt_rf.value * float(sums["mkt_rf"]),
        "size": smb.value * float(sums["smb"]),
        "value": hml.value * float(sums["hml"]),
        "alpha": alpha.value * fit.n,
    }
    total = float(sums["y"])
    attribution = {**parts, "residual": total - sum(parts.values()), "total": total}
    return FactorExposure(
        source=label,
        frequency=frequency,
        n=fit.n,
        start=data.index[0].date(),
        end=data.index[-1].date(),
        alpha=alpha,
        alpha_annual=(1 + alpha.value) ** periods - 1,
        mkt_rf=mkt_rf,
        smb=smb,
        hml=hml,
        r2=fit.r2,
        adj_r2=fit.adj_r2,
        residual_se=fit.sigma,
        periods_per_year=periods,
        attribution=attribution,
    ), ""


@dataclass(frozen=True, slots=True)
class OlsFit:
    """Ordinary least squares of y on an intercept and ``k - 1`` regressors.

    - ``coef``, ``se``, ``t``: per coefficient, intercept first; ``se`` classical,
      ``sqrt(sigma^2 [(X'X)^-1]_jj)``; ``t = coef / se`` (inf when ``se`` is 0, NaN for 0/0).
    - ``r2``: ``1 - SSR / SST`` (NaN when y is constant); ``adj_r2``: ``1 - (1 - r2)(n-1)/(n-k)``.
    - ``sigma``: ``sqrt(SSR / (n - k))``, the residuals' standard deviation.
    - ``n``: observations; ``k``: coefficients estimated.
    """

    coef: tuple[float, ...]
    se: tuple[float, ...]
    t: tuple[float, ...]
    r2: float
    adj_r2: float
    sigma: float
    n: int
    k: int


def ols(y: np.ndarray, x: np.ndarray) -> tuple[OlsFit | None, str]:
    """Regress ``y`` (n) on an intercept and the columns of ``x`` (n, m); rows must be finite.

    The coefficients come from ``np.linalg.lstsq`` (stable for ill-scaled columns), their
    covariance from the normal equations, ``sigma^2 (X'X)^-1``. Returns ``(None, why)`` with fewer
    than ``k + 2`` observations (k = m + 1), so sigma^2 rests on two degrees of freedom at least,
    or when the columns are collinear.
    """
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, np.newaxis]
    n, k = len(y), x.shape[1] + 1
    if x.shape[0] != n:
        return None, f"{n} returns but {x.shape[0]} rows of factors"
    if n < k + 2:
        return None, f"only {n} observations; the regression needs at least {k + 2}"
    if not (np.isfinite(y).all() and np.isfinite(x).all()):
        return None, "the data has missing or infinite values"
    design = np.column_stack([np.ones(n), x])
    coef, _, rank, _ = np.linalg.lstsq(design, y, rcond=None)
    if rank < k:
        return (
            None,
            "the factors move together over these dates, so their effects cannot be told apart",
        )
    resid = y - design @ coef
    ssr = float(resid @ resid)
    sigma2 = ssr / (n - k)
    se = np.sqrt(sigma2 * np.diag(np.linalg.solve(design.T @ design, np.eye(k))))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = coef / se
    centred = y - y.mean()
    sst = float(centred @ centred)
    r2 = 1 - ssr / sst if sst > 0 else float("nan")
    fit = OlsFit(
        coef=tuple(float(v) for v in coef),
        se=tuple(float(v) for v in se),
        t=tuple(float(v) for v in t),
        r2=r2,
        adj_r2=1 - (1 - r2) * (n - 1) / (n - k),
        sigma=float(np.sqrt(sigma2)),
        n=n,
        k=k,
    )
    return fit, ""


def compound_monthly(returns: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Per-period returns compounded into calendar months, ``prod(1 + r) - 1``, stamped with
    each month's last calendar day. Months without an observation are absent, not 0."""
    index = pd.DatetimeIndex(returns.index)
    # groupby, not resample: resample would invent a 0 return for a month with no data.
    months = index.to_period("M")
    grown = (1 + returns).groupby(months).prod() - 1
    month_ends = grown.index.to_timestamp(how="start") + pd.offsets.MonthEnd(0)
    grown.index = pd.DatetimeIndex(month_ends).as_unit(index.unit).rename("date")
    return grown


def _dated(frame: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame | None:
    """The same data on a naive, midnight ``DatetimeIndex`` in date order; ``None`` if the index
    is not dates or repeats one."""
    try:
        index = pd.DatetimeIndex(frame.index)
    except (TypeError, ValueError):
        return None
    if index.tz is not None:
        index = index.tz_localize(None)
    index = index.normalize()
    if not index.is_unique:
        return None
    out = frame.copy()
    out.index = index.rename("date")
    return out.sort_index()


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows where every value is a finite number."""
    return frame[np.isfinite(frame.to_numpy()).all(axis=1)]


def _is_monthly(index: pd.DatetimeIndex) -> bool:
    """At most one observation in any calendar month."""
    return len(index) > 0 and index.to_period("M").is_unique
