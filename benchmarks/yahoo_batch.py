"""50 symbols through yfinance on recorded Yahoo answers: one ``yf.download(threads=False)``
against one ``Ticker.history`` per symbol, both on the calling thread (YahooClient's rule).

The recorded AAPL and MSFT charts (``tests/fixtures/yahoo-json``, served through yfinance's own
parsing by ``tests/yahoo_frames``) are renamed to 50 symbols; each run starts from a fresh
yfinance state (``YahooClient.start``, in a new folder) with the time zones already cached, as
in a refresh after the first one. Both ways make one chart request per symbol, so this measures
yfinance's own overhead around them.

    python benchmarks/yahoo_batch.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pytest  # noqa: E402  (its MonkeyPatch undoes every patch between runs)

from desktop.data.sources.yahoo.client import YahooClient  # noqa: E402
from tests import yahoo_frames as yf_json  # noqa: E402

SYMBOLS = [f"S{i:02d}" for i in range(50)]
START, END = dt.date(2025, 9, 1), dt.date(2025, 10, 28)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import yfinance as yf

    charts = {
        s: yf_json.renamed(yf_json.load_chart("AAPL" if i % 2 else "MSFT"), s)
        for i, s in enumerate(SYMBOLS)
    }
    window = {"start": START, "end": END + dt.timedelta(days=1)}
    timings: dict[str, list[float]] = {"download(threads=False)": [], "history per symbol": []}
    for _ in range(args.repeat):
        for way in timings:
            with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
                fake = yf_json.serve_recorded(mp, charts)
                YahooClient(Path(folder)).start()  # yfinance's state afresh, in this folder
                for s in SYMBOLS:  # warm the time-zone cache: later refreshes have it
                    yf.Ticker(s).history(period="5d")
                calls = len(fake.calls)
                started = time.perf_counter()
                if way.startswith("download"):
                    frame = yf.download(
                        SYMBOLS,
                        threads=False,
                        progress=False,
                        auto_adjust=False,
                        actions=True,
                        **window,
                    )
                    assert set(frame.columns.get_level_values(1)) == set(SYMBOLS)
                else:
                    for s in SYMBOLS:
                        frame = yf.Ticker(s).history(auto_adjust=False, actions=True, **window)
                        assert not frame.empty
                timings[way].append(time.perf_counter() - started)
                assert len(fake.calls) - calls == len(SYMBOLS), "one chart request a symbol"
    for way, seconds in timings.items():
        print(
            f"{way:26s} median {statistics.median(seconds) * 1000:7.1f} ms "
            f"(min {min(seconds) * 1000:.1f}, {args.repeat} runs)"
        )
    ratio = statistics.median(timings["download(threads=False)"]) / statistics.median(
        timings["history per symbol"]
    )
    print(f"download / per symbol: {ratio:.2f}x")


if __name__ == "__main__":
    main()
