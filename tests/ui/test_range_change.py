"""A range change computes nothing on the main thread: the ranges are computed on a worker,
in the background after each snapshot, or when asked for before that."""

from __future__ import annotations

import pytest

from desktop.ui.chart import RANGES
from desktop.ui.performance import PORTFOLIO
from tests.ui.conftest import show_range
from tests.ui.test_comparison_panels import LAST_CLOSE, _window


@pytest.fixture(autouse=True)
def _on_the_last_close(today_is):
    today_is(LAST_CLOSE)  # the ranges count back from today: _window's history ends then


class HeldTasks:
    """A task runner that keeps the tasks until ``run_next``: what a worker has not done yet."""

    synchronous = False

    def __init__(self) -> None:
        self.waiting: list = []

    def run_task(self, fn, on_done, on_error=None, on_progress=None) -> None:
        self.waiting.append((fn, on_done, on_error))

    def wait(self, msecs: int = 0) -> bool:
        return True  # the window closing: what is held is dropped

    def run_next(self) -> None:
        fn, on_done, _ = self.waiting.pop(0)
        on_done(fn(lambda *_: None))


def test_a_range_not_yet_computed_is_computed_on_a_worker_then_drawn(make_window):
    window = _window(make_window)  # the snapshot, with the 1Y range computed on the worker
    perf = window.performance
    assert perf.prepared("1Y") and not perf.prepared("3Y")
    held = window.tasks = HeldTasks()
    shown = list(window.chart._lines[PORTFOLIO].x)

    window.set_chart_range("3Y")

    assert len(held.waiting) == 1  # asked of a worker ...
    assert "3Y" not in perf._lines and "3Y" not in perf._periods  # ... nothing computed here
    assert list(window.chart._lines[PORTFOLIO].x) == shown  # the chart waits for it
    held.run_next()
    assert perf.prepared("3Y")
    three = perf.lines("3Y")[PORTFOLIO]
    assert window.chart._lines[PORTFOLIO].y[-1] == three.iloc[-1] * 100.0
    assert len(window.chart._lines[PORTFOLIO].x) == len(three) > len(shown)
    assert window.shown_ttwror == perf.ttwror("3Y")


def test_an_answer_for_a_range_left_since_is_not_drawn(make_window):
    window = _window(make_window)
    perf = window.performance
    held = window.tasks = HeldTasks()
    window.set_chart_range("3Y")
    window.set_chart_range("1Y")  # computed already: drawn at once
    one_year = perf.lines("1Y")[PORTFOLIO]
    assert window.chart._lines[PORTFOLIO].y[-1] == one_year.iloc[-1] * 100.0
    held.run_next()  # the 3Y answer comes back after the user went on
    assert perf.prepared("3Y")
    assert window.chart_range == "1Y"
    assert len(window.chart._lines[PORTFOLIO].x) == len(one_year)


def test_after_a_snapshot_every_range_is_computed_in_the_background(make_window, qtbot):
    window = _window(make_window)
    perf = window.performance
    assert not all(perf.prepared(name) for name in RANGES)  # not at once: a second later
    qtbot.waitUntil(lambda: all(perf.prepared(name) for name in RANGES))
    lines = {name: perf.lines(name)[PORTFOLIO] for name in RANGES}
    held = window.tasks = HeldTasks()
    for name in RANGES:  # each draws at once now, with nothing left to compute
        window.set_chart_range(name)
        assert held.waiting == []
        assert window.chart._lines[PORTFOLIO].y[-1] == lines[name].iloc[-1] * 100.0


def test_a_range_asked_for_twice_while_computing_is_computed_once(make_window):
    window = _window(make_window)
    held = window.tasks = HeldTasks()
    window.set_chart_range("3Y")
    window.set_chart_range("1Y")
    window.set_chart_range("3Y")  # back to it: the computation under way is waited for
    assert len(held.waiting) == 1
    held.run_next()
    assert window.chart_range == "3Y"
    three = window.performance.lines("3Y")[PORTFOLIO]
    assert window.chart._lines[PORTFOLIO].y[-1] == three.iloc[-1] * 100.0


def test_a_snapshot_that_comes_back_for_another_range_is_drawn_from_a_worker(make_window):
    window = _window(make_window)
    held = window.tasks = HeldTasks()
    window.recompute()  # asked for 1Y ...
    window.chart_range = "5Y"  # ... the user went on to 5Y meanwhile
    held.run_next()  # the snapshot, with 1Y computed
    perf = window.performance
    assert perf.prepared("1Y") and not perf.prepared("5Y")
    assert "5Y" not in perf._periods  # nothing of 5Y computed on the main thread
    assert len(held.waiting) == 1  # it is on its way
    held.run_next()
    assert window.chart._lines[PORTFOLIO].y[-1] == perf.lines("5Y")[PORTFOLIO].iloc[-1] * 100


def test_a_tab_shown_while_a_range_computes_draws_the_range_on_screen(make_window):
    window = _window(make_window)
    show_range(window, "1Y")
    window.tasks = HeldTasks()
    window.set_chart_range("3Y")  # on a worker: the chart and the details still show 1Y
    perf = window.performance
    window.more.setCurrentIndex(window.more.indexOf(window.value_plot))
    assert "3Y" not in perf._periods  # nothing of 3Y computed here
    from desktop.core import chart_data

    expected = chart_data.value(perf.for_range("1Y"), ["^RUT", "^GSPC"])
    assert window.value_plot.frame.equals(expected)


def test_no_range_is_computed_in_the_background_once_the_window_closes(make_window, qtbot):
    from PySide6.QtWidgets import QApplication

    window = _window(make_window)
    window.prefetch_delay_ms = window.prefetch_pause_ms = 0  # on the next turns, not later
    held = window.tasks = HeldTasks()
    window.recompute()
    held.run_next()  # the snapshot: the other ranges are to follow on a later turn
    window.close()
    for _ in range(5):
        QApplication.processEvents()
    assert held.waiting == []
    opened = _window(make_window)  # the same, left open: the next range is asked for
    opened.prefetch_delay_ms = 0
    held = opened.tasks = HeldTasks()
    opened.recompute()
    held.run_next()
    for _ in range(5):
        QApplication.processEvents()
    assert len(held.waiting) == 1
