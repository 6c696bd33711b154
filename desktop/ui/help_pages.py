"""The Help menu's pages: the dialog that shows one (``HelpPage``), and the HTML of the
keyboard shortcuts, of what the numbers mean and of the data sources with their limits (About's
is ``about_page``'s). Imported when a page is first opened.

The shortcuts are read from ``actions.SPECS`` and from the window's own menus and tabs, so the
page says what the keys do today. The numbers page is made of the same sentences the app shows
elsewhere: the measures' ``EXPLAIN`` lines (``core.performance``, ``core.benchmarks``; the
report's ``explain`` too) and the charts' tooltips, imported when the page is made (they bring
pandas and pyqtgraph, which the window loads after its first paint anyway).
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME
from desktop.ui.actions import SPECS, key_sequences

#: Keys that no menu shows, by where they work: (keys, what they do).
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter, or a double-click", "on a holding or a watchlist row: opens its own window"),
    ("Enter, F2, or a double-click", "on a trade: edits it"),
    ("Delete", "on a watchlist row: stops watching it"),
    ("Esc", "in an instrument's window or in Markets: closes it"),
    ("Esc", "in a dialog or a Help page: closes it (a dialog saves nothing)"),
    ("Esc", "in the filter box (Ctrl+F): clears it"),
    ("Tab, Shift+Tab", "moves to the next or the previous control"),
    ("← →, Space", "on the chart's range buttons: moves along them, chooses one"),
    (
        "Tab to the legend, ← → (↑ ↓), Space or Enter",
        "on the chart's legend: moves between its entries, hides or shows that line",
    ),
    ("Drag across dates, double-click", "on a chart: zooms in, and back out"),
)

STYLE = (
    "<style>h2 { margin-top: 14px; } td { padding: 2px 10px 2px 0; vertical-align: top; } "
    "th { text-align: left; padding-right: 10px; }</style>"
)


class HelpPage(QDialog):
    """One page: its text (selectable, links opened in the browser) and Close."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME}: {title}")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.browser.setHtml(html)
        self.browser.setAccessibleName(title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 600)

    def add_about_qt(self) -> None:
        """Qt's own About box (its version and license), beside Close."""
        button = self.buttons.addButton("About &Qt", QDialogButtonBox.ButtonRole.ActionRole)
        button.clicked.connect(QApplication.aboutQt)

    def text(self) -> str:
        """The page as plain text (what a user reads)."""
        return self.browser.toPlainText()


def plain(text: str) -> str:
    """A menu text as read: without its mnemonic's ``&`` (``&&`` is a real one)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def keys_text(spec: Any) -> str:
    """An action's shortcuts as this platform writes them (``Ctrl+N``), "or" between them."""
    return " or ".join(
        k.toString(QKeySequence.SequenceFormat.NativeText) for k in key_sequences(spec)
    )


def mnemonic(text: str) -> str:
    """The letter after the single ``&`` of a menu or tab title, upper case ("" for none)."""
    i = text.replace("&&", "__").find("&")
    return text[i + 1].upper() if 0 <= i < len(text) - 1 else ""


def table_row(*cells: str, head: bool = False) -> str:
    tag = "th" if head else "td"
    return "<tr>" + "".join(f"<{tag}>{escape(c)}</{tag}>" for c in cells) + "</tr>"


def alt_keys(window: Any) -> list[tuple[str, str]]:
    """Alt + a letter: each menu of the window's menu bar, and each tab above the tables."""
    found = []
    if window is None:
        return found
    for action in window.menuBar().actions():
        letter = mnemonic(action.text())
        if letter:
            found.append((f"Alt+{letter}", f"opens the {plain(action.text())} menu"))
    tabs = getattr(window, "tabs", None)
    for i in range(tabs.count() if tabs is not None else 0):
        letter = mnemonic(tabs.tabText(i))
        if letter:
            found.append((f"Alt+{letter}", f"shows the {plain(tabs.tabText(i))} tab"))
    return found


def shortcuts_html(window: Any = None) -> str:
    """Every action of ``SPECS`` with its keys and what it does, then the keys no menu shows."""
    rows = [table_row("Action", "Keys", "What it does", head=True)]
    for spec in SPECS.values():
        rows.append(table_row(plain(spec.text).rstrip("…"), keys_text(spec) or "—", spec.tip))
    others = [table_row("Keys", "Where, and what they do", head=True)]
    others += [table_row(keys, what) for keys, what in (*OTHER_KEYS, *alt_keys(window))]
    return (
        f"{STYLE}<h2>Menu actions</h2><table>{''.join(rows)}</table>"
        f"<h2>Keys outside the menus</h2><table>{''.join(others)}</table>"
        "<p>An action without keys is in its menu: Alt and the menu's letter, then the "
        "action's underlined letter.</p>"
    )


def _section(title: str, *paragraphs: str) -> str:
    return f"<h2>{escape(title)}</h2>" + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def numbers_html() -> str:
    """What the figures over the chart, the panels under it and the Markets window measure."""
    from desktop.core.benchmarks import EXPLAIN as VS
    from desktop.core.performance import EXPLAIN
    from desktop.ui.comparison_panels import DRAWDOWN_TIP, RELATIVE_TIP
    from desktop.ui.frame_plot import VALUE_TIP
    from desktop.ui.markets_view import BETA_TIP

    return STYLE + "".join(
        (
            "<p>Returns are over the range chosen above the chart: from the close of the last "
            "trading day before it starts (the base) to the last close in it. The strip over the "
            "chart, the chart itself and <code>report --json</code> read the same numbers; each "
            "figure's tooltip says what it measures.</p>",
            _section(
                "Time-weighted return (TTWROR)",
                EXPLAIN["ttwror"],
                EXPLAIN["ttwror_annualized"] + " It is shown in brackets over a year.",
                "Your deposits and withdrawals do not move it, which is why it is the one to set "
                "beside the Russell 2000's or the S&P 500's return.",
            ),
            _section(
                "IRR",
                EXPLAIN["irr"],
                "It differs from the time-weighted return when you added money before a rise "
                "(IRR higher) or before a fall (IRR lower).",
            ),
            _section("Simple return", EXPLAIN["simple_return"], EXPLAIN["absolute_gain"]),
            _section(
                "Excess, in points",
                VS["excess_return"],
                "It is a difference of two returns in percentage points: 12.0% against the "
                "index's 1.2% is +10.8 pts, not 10 times better. Against a price index (^RUT, "
                "^GSPC) a portfolio that receives dividends has a head start of about the index's "
                "dividend yield a year; the total-return benchmarks (^SP500TR) and proxies "
                "(IWM:TR, SPY:TR) compare like with like.",
            ),
            _section("Relative strength", RELATIVE_TIP),
            _section(
                "Benchmark-equivalent value",
                VALUE_TIP,
                VS["benchmark_equivalent_value"],
                VS["ks_pme"],
            ),
            _section("Drawdown", DRAWDOWN_TIP, EXPLAIN["max_drawdown"]),
            _section(
                "Beta",
                VS["beta"],
                "In Markets, the rolling one-year beta: " + BETA_TIP,
                VS["alpha"],
            ),
            _section("Volatility", EXPLAIN["volatility"]),
            _section("Up and down capture", VS["up_capture"], VS["down_capture"]),
            _section(
                "The factor lens: market, size, value, alpha",
                "Beside the chart, the range's daily returns over the risk-free rate, summed, "
                "are split by a regression on the Fama-French factors: the market (the whole "
                "market over the risk-free rate), small minus big (SMB: the size tilt), high "
                "minus low book-to-market (HML: the value tilt), and alpha, what they leave "
                "unexplained.",
                "The loadings say what the portfolio behaves like: a market loading near 1 "
                "moves with the market, size above 0 leans to small caps, value above 0 to "
                'cheap stocks ("behaves like a small-cap value fund: size +0.73, value +0.24, '
                'market 1.13"). Over a short range alpha is mostly noise: the '
                "regression's t-statistics (report --factors) say how far to trust it.",
                "The factors are Ken French's daily ones, once a refresh has fetched them; "
                "without them, ETF proxies (IWM less SPY for size, IWN less IWO for value) "
                "stand in, and the sentence says so.",
            ),
            _section(
                "The size premium",
                "What small stocks paid over large ones a year in Ken French's monthly SMB "
                "factor, since July 1926 and over the last ten years, two ways: compounded (the "
                "months multiplied, what a long-short position grew to, per year) and as the "
                "arithmetic mean (the mean month times 12); the more the months swing, the "
                "further the compounded figure falls below the mean.",
                'The well-known "two points a year since 1927" is the arithmetic mean: the '
                "file of 2024-08 gives +2.12% arithmetic, +1.55% compounded, and -1.97% a year "
                "over its last ten years. Markets shows the figures of the file you have.",
            ),
        )
    )


def sources_html(window: Any = None) -> str:
    """Where the data come from, what they cannot promise, and where everything is kept."""
    from PySide6.QtCore import QSettings

    from desktop.data import logs, paths

    store = getattr(window, "store", None)
    portfolio = f"{store.path}" if store is not None else f"{paths.default_db_path()}"
    app_log = logs.current()
    log_folder = app_log.folder if app_log is not None and app_log.folder else logs.log_dir()
    cache = paths.cache_dir()
    places = [
        table_row("What", "Where", head=True),
        table_row("Your portfolio: the ledger, every price fetched, its settings", portfolio),
        table_row("Its backups", "the backups folder beside it"),
        table_row("yfinance's caches (time zones, cookies, ISINs)", str(cache / "yfinance")),
        table_row("Ken French's factor files", str(cache / "french")),
        table_row("Symbol search answers", str(cache / "symbol-search.json")),
        table_row("The log, and fatal errors", str(log_folder)),
        table_row(
            "The window's size and columns; refresh on start, light or dark",
            QSettings().fileName(),
        ),
    ]
    return STYLE + "".join(
        (
            _section(
                "Yahoo Finance, through yfinance",
                "Prices, dividends and splits, company figures (market cap, P/E, debt and cash, "
                "the analysts' consensus) and symbol search come from Yahoo Finance through "
                "yfinance, an open-source library that Yahoo neither makes nor supports. Yahoo "
                "offers no official interface for this: the data are for personal use under "
                "Yahoo's terms, and the service may change, slow down or refuse requests at any "
                "time.",
                "Prices may be delayed (a day's close is fetched after the day; each refresh "
                "fetches a week again to catch Yahoo's late corrections), wrong, or missing (a "
                "day without a close stays blank, never 0; a delisted stock stops). Adjusted "
                "closes, which the total-return benchmarks use (SYM:TR), are recomputed by "
                "Yahoo after every split and dividend, so their past changes: when Yahoo reports "
                "a new split or dividend, the symbol's whole history is fetched again. Check "
                "anything you act on against your broker's statements.",
            ),
            _section(
                "Ken French's data library",
                "The Fama-French factors (market, SMB, HML and the risk-free rate, daily and "
                "monthly) come from Kenneth R. French's data library at Dartmouth "
                "(mba.tuck.dartmouth.edu/pages/faculty/ken.french/data_library.html), fetched "
                "by a refresh at most once a day, or brought with `import factors`. They end a "
                "month or more before today and are revised when the files are rebuilt (each "
                "names the CRSP month it was made from).",
            ),
            _section(
                "What is kept where",
                "Everything fetched is kept on this computer and shown offline: the prices in "
                "the portfolio's file, the factors in the cache folder. Nothing is sent "
                "anywhere but the requests to Yahoo and to the data library, which name the "
                "symbols and files asked for.",
            ),
            f"<table>{''.join(places)}</table>",
            f"<p>{escape(APP_NAME)} keeps no account and sends no usage data.</p>",
        )
    )
