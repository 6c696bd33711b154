"""Fixtures for the Qt tests: a main window on a temporary database with synchronous tasks."""

from __future__ import annotations

import datetime as dt
import gc
from decimal import Decimal as D

import pytest

from desktop.core.model import Trade, TradeType


@pytest.fixture(autouse=True)
def _collector_left_on():
    """A window pauses the garbage collector while it computes; no test may leave it paused."""
    gc.enable()
    yield
    assert gc.isenabled(), "the garbage collector was left off"


@pytest.fixture
def make_window(qtbot, tmp_path):
    from desktop.data.store import Store
    from desktop.ui.main_window import MainWindow
    from desktop.ui.tasks import TaskRunner

    opened = []

    def make(path=None, sources=None):
        store = Store(path or tmp_path / "portfolio.sqlite")
        window = MainWindow(store, TaskRunner(synchronous=True), sources=sources)
        qtbot.addWidget(window)
        opened.append(store)
        return window

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def today_is(time_machine):
    """Sets the calendar's day, the clock still ticking: the ranges count back from it (YTD is
    its year), so a test on a fixed history runs on that history's last day."""

    def move(day: dt.date) -> None:
        time_machine.move_to(dt.datetime.combine(day, dt.time(12), dt.UTC), tick=True)

    return move


def show_range(window, name: str) -> None:
    """Choose the chart's range ``name`` and let the window draw it all: the chart at once,
    the tab under it and the why on a later turn of the event loop (and, for a range not yet
    computed, after the worker's answer)."""
    from PySide6.QtWidgets import QApplication

    window.set_chart_range(name)
    for _ in range(200):
        if window.details_for == (window.performance, name):
            return
        QApplication.processEvents()
    raise AssertionError(f"the details of {name} were never drawn")


def weekdays(first: dt.date, calendar_days: int) -> list[dt.date]:
    """The weekdays among the ``calendar_days`` days from ``first``: a history's trading days."""
    days = (first + dt.timedelta(days=i) for i in range(calendar_days))
    return [d for d in days if d.weekday() < 5]


def buy(symbol="COHU", qty="100", price="32.10", fee="1", day=dt.date(2024, 1, 5)):
    return Trade(day, TradeType.BUY, symbol, D(qty), D(price), D(fee))


def contrast(a, b) -> float:
    """The WCAG contrast ratio of two QColors (4.5 or more: readable text)."""

    def luminance(c) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
