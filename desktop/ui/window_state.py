"""What the window keeps between runs, in ``QSettings``: every key in this one module (the
user's preferences of the settings dialog too).

Per user, not per portfolio (the benchmarks compared with are the portfolio's, in its file):
the window's geometry (clamped to a screen that is there now), the tab shown, the splitters,
each table's column layout (widths, order, sort), the chart's range and log scale, and the tab
under the chart. A value that does not read back (another version's, hand-edited) is ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

GEOMETRY = "window/geometry"
TAB = "window/tab"
SPLITTER = "window/splitter"  #: the tables against the chart
HOLDINGS_COLUMNS = "holdings/columns"
#: The holdings' sort as "COLUMN ascending|descending" (the header's state has it too, but it
#: reads back only through ``Qt``'s enums, which the first paint goes without: ``qt_enums``).
HOLDINGS_SORT = "holdings/sort"
TRADES_COLUMNS = "trades/columns"
WATCHLIST_COLUMNS = "watchlist/columns"
RANGE = "chart/range"
LOG_SCALE = "chart/log"
CHART_SPLITTER = "chart/splitter"  #: the returns chart against the tabs under it
CHART_PANES = "chart/panes"  #: the chart against the why beside it
CHART_TAB = "chart/tab"
REFRESH_ON_START = "app/refresh_on_start"  #: the settings dialog's
THEME = "app/theme"  #: "system", "light" or "dark"

#: Every key, for a reset and for tests.
KEYS = (
    GEOMETRY,
    TAB,
    SPLITTER,
    HOLDINGS_COLUMNS,
    HOLDINGS_SORT,
    TRADES_COLUMNS,
    WATCHLIST_COLUMNS,
    RANGE,
    LOG_SCALE,
    CHART_SPLITTER,
    CHART_PANES,
    CHART_TAB,
    REFRESH_ON_START,
    THEME,
)


def _bytes(settings: QSettings, key: str) -> QByteArray | None:
    value = settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _int(settings: QSettings, key: str) -> int | None:
    try:
        return int(settings.value(key))
    except (TypeError, ValueError):
        return None


def save(window: Any, settings: QSettings) -> None:
    """Keep what the user arranged (called when the window closes)."""
    settings.setValue(GEOMETRY, window.saveGeometry())
    settings.setValue(TAB, window.tabs.currentIndex())
    settings.setValue(SPLITTER, window.splitter.saveState())
    for key, view in _tables(window):
        settings.setValue(key, view.horizontalHeader().saveState())
    sort = window.holdings_model.sorted_by
    order = "" if sort is None else f"{sort[0]} {'descending' if sort[1] else 'ascending'}"
    settings.setValue(HOLDINGS_SORT, order)
    settings.setValue(RANGE, window.chart_range)
    if window.chart is not None:
        settings.setValue(LOG_SCALE, window.chart.log_button.isChecked())
        settings.setValue(CHART_SPLITTER, window.chart_stack.saveState())
        settings.setValue(CHART_PANES, window.chart_panes.saveState())
        settings.setValue(CHART_TAB, window.more.currentIndex())


def restore(window: Any, settings: QSettings) -> None:
    """Before the first paint: the geometry (clamped), the tab, the splitter, the columns and
    the range; the chart's own parts wait for the chart (``restore_chart``)."""
    geometry = _bytes(settings, GEOMETRY)
    if geometry is not None:
        window.restoreGeometry(geometry)
    clamp_to_screen(window)
    tab = _int(settings, TAB)
    if tab is not None and 0 <= tab < window.tabs.count():
        window.tabs.setCurrentIndex(tab)
    splitter = _bytes(settings, SPLITTER)
    if splitter is not None:
        window.splitter.restoreState(splitter)
    restore_columns(window, settings)
    name = settings.value(RANGE)
    # Checked now once the window is built; a staged start's when it is (``finish_build``):
    # the names are ``core.periods``', which the first paint goes without.
    if isinstance(name, str) and (not window.built or known_range(name)):
        window.chart_range = name


def restore_columns(window: Any, settings: QSettings, keys: tuple[str, ...] | None = None) -> None:
    """The column layout of each table built (of those of ``keys``; all by default): a staged
    start builds the Trades and Watchlist tables after its first paint, and restores theirs
    then."""
    for key, view in _tables(window):
        if keys is not None and key not in keys:
            continue
        state = _bytes(settings, key)
        header = view.horizontalHeader()
        if state is not None and header.restoreState(state):
            view.setProperty("keepWidths", True)  # the user's widths, not fitted to the text
            if key == HOLDINGS_COLUMNS:
                sort = _holdings_sort(settings, header)
                if sort is not None:
                    window.sort_holdings(*sort)


def _holdings_sort(settings: QSettings, header: Any) -> tuple[int, bool] | None:
    """The holdings' sort kept (``HOLDINGS_SORT``); else the one in the header's state, if any
    (kept by an earlier version: its order is read through ``Qt``, once)."""
    text = settings.value(HOLDINGS_SORT)
    if isinstance(text, str) and text:
        column, _, order = text.partition(" ")
        if column.isdigit() and order in ("ascending", "descending"):
            return int(column), order == "descending"
        return None  # hand-edited: ignored
    if text is None and header.isSortIndicatorShown() and header.sortIndicatorSection() >= 0:
        from PySide6.QtCore import Qt

        descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        return header.sortIndicatorSection(), descending
    return None


def restore_chart(window: Any, settings: QSettings) -> None:
    """Once the chart is in: its range button, the log scale, its splitters, the tab under."""
    window.chart.set_range(window.chart_range)
    log = settings.value(LOG_SCALE)
    if str(log).lower() == "true":
        window.chart.log_button.setChecked(True)
    for key, splitter in ((CHART_SPLITTER, window.chart_stack), (CHART_PANES, window.chart_panes)):
        state = _bytes(settings, key)
        if state is not None:
            splitter.restoreState(state)
    tab = _int(settings, CHART_TAB)
    if tab is not None and 0 <= tab < window.more.count():
        window.more.setCurrentIndex(tab)


def clamp_to_screen(window: QWidget) -> None:
    """Keep ``window`` on a screen that is there now, no larger than its available area: a
    geometry saved on a monitor since unplugged, or at another scale, never opens off-screen
    or larger than the screen."""
    frame = window.frameGeometry()
    screen = QGuiApplication.screenAt(frame.center()) or window.screen()
    if screen is None:
        return
    available: QRect = screen.availableGeometry()
    extra_w = frame.width() - window.width()  # the title bar and borders
    extra_h = frame.height() - window.height()
    width = min(window.width(), available.width() - extra_w)
    height = min(window.height(), available.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(max(width, window.minimumWidth()), max(height, window.minimumHeight()))
    frame = window.frameGeometry()
    x = min(max(frame.x(), available.left()), available.right() - frame.width() + 1)
    y = min(max(frame.y(), available.top()), available.bottom() - frame.height() + 1)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def _tables(window: Any) -> list[tuple[str, Any]]:
    """The tables whose columns are kept, those built."""
    watchlist = window.watchlist.table if window.watchlist is not None else None
    tables = (
        (HOLDINGS_COLUMNS, window.holdings_view),
        (TRADES_COLUMNS, window.trades_view),
        (WATCHLIST_COLUMNS, watchlist),
    )
    return [(key, view) for key, view in tables if view is not None]


def known_range(name: str) -> bool:
    """Whether ``name`` is a range the chart has: a period's (1Y) or the user's own dates."""
    from desktop.core.periods import PERIODS  # light: the chart's module loads pyqtgraph

    if name in PERIODS:
        return True
    from desktop.ui.performance import custom_range  # a range of the user's own dates

    try:
        return custom_range(name) is not None
    except ValueError:  # "2024-13-01..soon": not days
        return False
