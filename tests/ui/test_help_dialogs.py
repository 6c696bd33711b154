"""The Help menu: every shortcut listed from SPECS, F1's numbers page, sources, About."""

from __future__ import annotations

from importlib import metadata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from desktop.ui.actions import SPECS, Act
from desktop.ui.help_pages import mnemonic, plain


@pytest.fixture
def window(qtbot, make_window):
    w = make_window()
    with qtbot.waitActive(w):
        w.show()
        w.activateWindow()
    return w


def help_menu(window):
    titles = {plain(a.text()): a.menu() for a in window.menuBar().actions()}
    return titles["Help"]


def test_the_help_menu_is_last_and_every_item_has_its_own_letter(window):
    bar = [a.text() for a in window.menuBar().actions()]
    assert bar[-1] == "He&lp"
    taken = [mnemonic(t) for t in bar] + [
        mnemonic(window.tabs.tabText(i)) for i in range(window.tabs.count())
    ]
    assert len(taken) == len(set(taken)), taken  # Alt+L reaches it, no clash with a tab
    items = [a for a in help_menu(window).actions() if not a.isSeparator()]
    assert [plain(a.text()) for a in items] == [
        "Keyboard shortcuts",
        "What do these numbers mean?",
        "Data sources and their limits",
        "Open the log folder",
        "About Portfolio Desk",
    ]
    letters = [mnemonic(a.text()) for a in items]
    assert all(letters) and len(set(letters)) == len(letters), letters


def test_the_shortcuts_page_lists_every_action_with_its_keys(window, qtbot):
    window.actions[Act.SHOW_SHORTCUTS].trigger()
    page = window.help.pages[Act.SHOW_SHORTCUTS]
    text = page.text()
    lines = text.splitlines()  # a table's cells, one a line: name, keys, what it does
    for key, spec in SPECS.items():
        name = plain(spec.text).rstrip("…")
        assert name in lines, f"{key} ({name}) is not listed"
        at = lines.index(name)
        keys = [k.toString(QKeySequence.NativeText) for k in window.actions[key].shortcuts()]
        assert lines[at + 1] == (" or ".join(keys) or "—"), key  # the keys the action has
        assert lines[at + 2] == spec.tip, key

    def keys_of(name: str) -> str:
        return lines[lines.index(name) + 1]

    # As a user reads them (Linux's bindings of the standard keys: the suite's platform).
    assert keys_of("Add trade") == "Ctrl+N"
    assert keys_of("Refresh prices") == "F5"
    assert keys_of("Import trades") == "Ctrl+Shift+I"
    assert keys_of("Undo").split(" or ")[0] == "Ctrl+Z"  # and the platform's other bindings
    assert "Ctrl+Shift+Z" in keys_of("Redo").split(" or ")  # as the README says, everywhere
    assert keys_of("What do these numbers mean?") == "F1"
    assert keys_of("Back up now") == "—"
    # The keys no menu shows, the Alt keys read from the window's own menus and tabs.
    for words in (
        "on a holding or a watchlist row: opens its own window",
        "on a trade: edits it",
        "in an instrument's window or in Markets: closes it",
        "Alt+F",
        "opens the Prices menu",
        "Alt+L",
        "opens the Help menu",
        "shows the Holdings tab",
    ):
        assert words in text, words
    assert page.browser.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_f1_opens_the_numbers_page_in_the_apps_own_words_and_esc_closes_it(window, qtbot):
    from desktop.core.benchmarks import EXPLAIN as VS
    from desktop.core.performance import EXPLAIN
    from desktop.ui.comparison_panels import DRAWDOWN_TIP, RELATIVE_TIP
    from desktop.ui.frame_plot import VALUE_TIP

    action = window.actions[Act.EXPLAIN_NUMBERS]
    assert action.shortcutContext() == Qt.ShortcutContext.ApplicationShortcut  # every window's
    qtbot.keyClick(window, Qt.Key_F1)
    page = window.help.pages[Act.EXPLAIN_NUMBERS]
    qtbot.waitUntil(page.isVisible)
    assert page.windowTitle() == "Portfolio Desk: What do these numbers mean?"
    text = page.text()
    for heading in (
        "Time-weighted return (TTWROR)",
        "IRR",
        "Simple return",
        "Excess, in points",
        "Relative strength",
        "Benchmark-equivalent value",
        "Drawdown",
        "Beta",
        "The factor lens: market, size, value, alpha",
        "The size premium",
    ):
        assert heading + "\n" in text, heading
    # The same sentences as the strip's and the panels' tooltips and the report's explain.
    for sentence in (
        EXPLAIN["ttwror"],
        EXPLAIN["irr"],
        EXPLAIN["simple_return"],
        EXPLAIN["max_drawdown"],
        VS["excess_return"],
        VS["beta"],
        VS["benchmark_equivalent_value"],
        RELATIVE_TIP,
        DRAWDOWN_TIP,
        VALUE_TIP,
    ):
        assert sentence in text, sentence
    assert "+10.8 pts" in text and "+2.12% arithmetic, +1.55% compounded" in text
    assert "small minus big (SMB: the size tilt)" in text and "alpha" in text
    qtbot.keyClick(page, Qt.Key_Escape)
    assert not page.isVisible()
    qtbot.keyClick(window, Qt.Key_F1)  # again: the same page, raised
    assert window.help.pages[Act.EXPLAIN_NUMBERS] is page and page.isVisible()


def test_about_gives_the_version_from_metadata_and_how_to_replace_qt(window):
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    page = window.help.show_page(Act.ABOUT)
    text = page.text()
    assert text.startswith(f"Portfolio Desk {metadata.version('portfolio-desk')}\n")
    assert f"PySide6\n{PySide6.__version__}" in text or f"PySide6 {PySide6.__version__}" in text
    assert "GNU Lesser General Public License v3 (LGPL-3.0" in text
    assert "separate shared libraries in its install folder" in text
    assert "replace them with your own or another ABI-compatible build" in text
    assert QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath) in text
    assert "https://www.qt.io/download-open-source" in text
    # Licenses as the installed metadata states them, dependencies of dependencies too.
    for name in ("pandas", "numpy", "pyqtgraph", "yfinance", "sqlite-utils", "platformdirs"):
        dist = metadata.distribution(name)
        stated = dist.metadata.get("License-Expression") or dist.metadata.get("License")
        if stated and len(stated) <= 80:
            assert f"{dist.version}\n{stated}" in text or f"{dist.version} {stated}" in text, name
    assert "PySide6_Essentials" in text or "PySide6-Essentials" in text
    assert "LGPL-3.0-only" in text  # PySide6's own metadata
    assert "requests" in text  # yfinance's dependency, shipped too
    labels = [b.text() for b in page.buttons.buttons()]
    assert "About &Qt" in labels


def test_the_sources_page_says_the_limits_and_where_everything_is(window):
    from desktop.data import logs, paths

    text = window.help.show_page(Act.DATA_SOURCES).text()
    assert "for personal use under Yahoo's terms" in text
    assert "Prices may be delayed" in text and "Adjusted closes" in text
    assert "Kenneth R. French's data library" in text
    assert str(window.store.path) in text
    assert str(paths.cache_dir() / "french") in text
    assert str(logs.log_dir()) in text
    assert "shown offline" in text
