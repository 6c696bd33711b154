"""Factors for the factor lens, from what is on disk: Ken French's daily file as last cached,
or, when it is missing or does not cover the period, proxies from cached ETF closes (size: IWM
minus SPY, value: IWN minus IWO), labelled as proxies; and the size premium from his monthly
file. Never fetches; ``refresh_french`` does, from the refresh (both files), and
``import_french`` keeps a file the user brings where a download would be kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop.data.paths import cache_dir
from desktop.data.store import Store

if TYPE_CHECKING:
    import pandas as pd

    from desktop.data.sources.french import Opener


def _offline(url: str, timeout: float) -> bytes:
    raise OSError("the report never fetches")


def french_cache():
    return cache_dir() / "french"


def cached_french() -> tuple[pd.DataFrame | None, str]:
    """The French daily factors as last downloaded (however old), or why there are none."""
    from desktop.data.sources.french import FrenchFactors

    return FrenchFactors(french_cache(), opener=_offline).daily()


def cached_french_monthly() -> tuple[pd.DataFrame | None, str]:
    """The French monthly factors as last downloaded or imported, or why there are none."""
    from desktop.data.sources.french import FrenchFactors

    factors = FrenchFactors(french_cache(), opener=_offline)
    if not factors.cache_path("monthly").exists():
        return None, (
            "no Ken French monthly factor file is cached: `refresh` downloads it, "
            "`import factors FILE` reads one"
        )
    return factors.monthly()


def size_premium_data() -> tuple[dict | None, str]:
    """``report --factors``'s ``size_premium``: the premium of the cached monthly SMB (its
    source and vintage, the CRSP month the file was made from, with it), or ``None``; and a
    note for what is missing or refused."""
    from desktop.core.size import size_premium

    frame, message = cached_french_monthly()
    if frame is None:
        return None, f"size_premium is null: {message}"
    figures = size_premium(frame["smb"])
    problem = figures.pop("problem")
    vintage = frame.attrs.get("vintage") or None
    data = {"source": frame.attrs.get("source") or None, "vintage": vintage, **figures}
    return data, f"size_premium: {problem}" if problem else ""


def refresh_french(opener: Opener | None = None) -> str:
    """Download the French daily and monthly files where the cached ones are more than a day
    old (``opener``: the download, urllib by default); what failed, or ``""``."""
    from desktop.data.sources.french import FrenchFactors

    factors = FrenchFactors(french_cache(), opener=opener)
    failed = [message for frame, message in (factors.daily(), factors.monthly()) if frame is None]
    return "; ".join(failed)


def import_french(path: Path) -> tuple[pd.DataFrame | None, str]:
    """A Ken French factor file (daily or monthly, the CSV or the library's zip) kept in the
    factor cache where ``refresh`` keeps a download, under the same name, so the report reads
    it offline. The parsed frame and what was kept where, or ``None`` and why it was refused
    (then nothing changed). A CSV is kept zipped under the library's own member name."""
    import io
    import zipfile

    from desktop.data.formats.atomic_file import write_atomically
    from desktop.data.sources.french import (
        MAX_BYTES,
        FrenchFactors,
        parse_french_csv,
        parse_french_zip,
    )

    try:
        if path.stat().st_size > MAX_BYTES:
            return None, f"{path} is larger than {MAX_BYTES:,} bytes: not a factor file"
        body = path.read_bytes()
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror or exc}"
    zipped = body[:2] == b"PK"  # a zip's signature; the CSV starts with its preamble
    frame, problem = parse_french_zip(body) if zipped else parse_french_csv(body)
    if frame is None:
        return None, f"{path} is not a Ken French factor file: {problem}"
    target = FrenchFactors(french_cache()).cache_path(frame.attrs["frequency"])
    if not zipped:
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(target.stem.removesuffix("_CSV") + ".CSV", body)
        body = packed.getvalue()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, lambda partial: partial.write_bytes(body))
    except OSError as exc:
        return None, f"cannot write {target}: {exc.strerror or exc}"
    frequency, vintage = frame.attrs["frequency"], frame.attrs["vintage"] or "unknown"
    unit, end = ("days", f"{frame.index[-1]:%Y-%m-%d}")
    if frequency == "monthly":
        unit, end = "months", f"{frame.index[-1]:%Y-%m}"
    return frame, (
        f"Kept the Fama/French {frequency} factors (vintage {vintage}, {len(frame):,} {unit} "
        f"to {end}) in {target}"
    )


def proxy_factors_from(store: Store) -> tuple[pd.DataFrame | None, str]:
    from desktop.core.factors import PROXY_SYMBOLS, proxy_factors

    closes = store.closes(PROXY_SYMBOLS)
    missing = [s for s in PROXY_SYMBOLS if s not in closes or closes[s].dropna().empty]
    if missing:
        return None, f"no cached closes for {', '.join(missing)} (needed for proxy factors)"
    return proxy_factors(closes), ""
