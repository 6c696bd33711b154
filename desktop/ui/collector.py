"""Python's cyclic garbage collector, paused while a snapshot is computed on a worker.

A collector pass walks the objects of its generations while holding the interpreter lock, so
whichever thread starts it, the window cannot paint meanwhile: with 100,000 entries, passes of
40-110 ms fell inside a recompute (``benchmarks/large_portfolio.py``, measured with
``gc.callbacks``). Computing a snapshot makes no reference cycles (measured: a recompute leaves
no cyclic garbage; what it discards is freed by reference counting at once), so the collector
waits while one runs. When the last running one ends, the young objects are collected once (the
cycles anything else made meanwhile are freed: a few ms) and what is alive then (the ledger,
the market data, the snapshot shown) is frozen out of later passes (``gc.freeze``): it stays
alive until the next snapshot, and the collector need not walk it again and again.

Start-up is paused the same way (``desktop.app``): what it makes stays alive, so once the window
has painted it is frozen and the collector turned on (``resume_collector``).
"""

from __future__ import annotations

import gc


class CollectorPause:
    """Counts the computations running; the collector is off while any is."""

    def __init__(self) -> None:
        self.running = 0
        self._was_enabled = True

    def hold(self) -> None:
        """A computation starts."""
        if self.running == 0:
            self._was_enabled = gc.isenabled()
            gc.disable()
        self.running += 1

    def release(self) -> None:
        """A computation ended (answered or failed); the last one collects, freezes and turns
        the collector back on."""
        if self.running == 0:
            return
        self.running -= 1
        if self.running == 0:
            self._resume()

    def release_all(self) -> None:
        """Forget the computations still counted (the window closes: their answers will not
        come) and turn the collector back on."""
        if self.running:
            self.running = 0
            self._resume()

    def _resume(self) -> None:
        gc.collect(0)
        gc.freeze()
        if self._was_enabled:
            gc.enable()


def resume_collector() -> None:
    """After start-up (with the collector off): what is alive now (modules, classes, the
    window's wrappers) is frozen out of later passes, and the collector is turned on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
