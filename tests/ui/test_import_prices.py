"""File → Import prices…: a CSV of daily prices becomes the cached prices of a symbol."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from desktop.ui.actions import Act
from desktop.ui.import_prices import suggested_symbol
from tests.ui.conftest import buy

#: Excerpts in tests/fixtures: COHU 2020-01-02..2024-03-08 (1,053 rows, no final newline) and the
#: first quarter of 2006 of a yf.download file (three-row header naming SPY).
COHU = "COHU_yahoo_2020-2024.csv"
SPY_DOWNLOAD = "SPY_yf_download_multiindex_2006.csv"


def quiet(window):
    """The window with its refusals collected instead of shown in a message box."""
    refused = []
    window.price_import.on_refused = refused.append
    return refused


def test_importing_a_yahoo_file_prices_the_holding(qtbot, make_window, fixtures):
    window = make_window()
    refused = quiet(window)
    window.editor.add_trade(buy())
    assert window.price_import.import_file(fixtures / COHU, "cohu")
    assert refused == []
    assert window.store.price_span("COHU") == (dt.date(2020, 1, 2), dt.date(2024, 3, 8))
    assert window.store.last_closes(["COHU"]) == {"COHU": (dt.date(2024, 3, 8), 31.950001)}
    assert len(window.store.price_rows("COHU")) == 1053
    model = window.holdings_model
    assert [model.data(model.index(0, c)) for c in (0, 4, 5, 6)] == [
        "COHU",
        "31.95",
        "2024-03-08",
        "3,195.00",
    ]
    message = window.statusBar().currentMessage()
    assert message == "Imported 1,053 rows for COHU (2020-01-02..2024-03-08)"
    assert window.freshness.text() == "Prices as of 2024-03-08"


def test_a_bad_file_is_refused_in_words_and_nothing_is_written(qtbot, make_window, tmp_path):
    window = make_window()
    refused = quiet(window)
    bad = tmp_path / "notes.csv"
    bad.write_text("hello,world\n1,2\n")
    assert not window.price_import.import_file(bad, "COHU")
    (message,) = refused
    assert message.startswith("notes.csv was not imported; nothing was changed.")
    assert "has no Date or Close column" in message
    assert window.store.price_span("COHU") is None
    assert window.price_import.import_file(tmp_path / "missing.csv", "COHU") is False
    assert "does not exist" in refused[-1]


def test_a_bad_symbol_or_another_symbols_file_is_refused(qtbot, make_window, fixtures):
    window = make_window()
    refused = quiet(window)
    assert not window.price_import.import_file(fixtures / COHU, "CO HU")
    assert "'CO HU' is not a valid ticker symbol" in refused[-1]
    assert not window.price_import.import_file(fixtures / SPY_DOWNLOAD, "IWM")
    assert refused[-1].startswith(f"{SPY_DOWNLOAD} was not imported; nothing was changed")
    assert "the file holds the prices of SPY, not IWM: import it as SPY" in refused[-1]
    assert window.store.price_span("IWM") is None and window.store.price_span("SPY") is None


def test_notes_are_shown_with_the_count(qtbot, make_window, tmp_path):
    window = make_window()
    quiet(window)
    path = tmp_path / "naesx.csv"
    path.write_text(
        "Date,Open,High,Low,Close,Adj Close,Volume\n"
        "2024-05-01,100,101,99,100.5,100.5,0\n"
        "2024-05-02,100,101,99,101.5,101.5,0\n"
        "2024-05-03,null,null,null,null,null,null\n"
    )
    assert window.price_import.import_file(path, "NAESX")
    expected = "Imported 2 rows for NAESX (2024-05-01..2024-05-02); 1 row without a close left out"
    assert window.statusBar().currentMessage() == expected


def test_the_menu_action_asks_for_the_file_then_the_symbol(qtbot, make_window, fixtures):
    window = make_window()
    quiet(window)
    action = window.actions[Act.IMPORT_PRICES]
    assert action.shortcut() == QKeySequence("Ctrl+I")
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions()
    asked = []
    window.price_import.choose_file = lambda: str(fixtures / COHU)

    def ask(path, suggested):
        asked.append((path.name, suggested))
        return None  # the user cancels

    window.price_import.ask_symbol = ask
    action.trigger()
    assert asked == [(COHU, "COHU")]
    assert window.store.price_span("COHU") is None
    window.price_import.ask_symbol = lambda path, suggested: suggested
    action.trigger()
    assert window.store.price_span("COHU")[1] == dt.date(2024, 3, 8)
    window.price_import.choose_file = lambda: None  # the file dialog was cancelled
    window.price_import.ask_symbol = lambda path, suggested: asked.append("asked")
    action.trigger()
    assert asked == [(COHU, "COHU")]


def test_ctrl_i_opens_the_import(qtbot, make_window):
    window = make_window()
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    opened = []
    window.price_import.choose_file = lambda: opened.append(True)
    qtbot.keyClick(window, Qt.Key_I, Qt.ControlModifier)
    assert opened == [True]


def test_the_symbol_offered_comes_from_the_ticker_row_or_the_file_name(fixtures, tmp_path):
    assert suggested_symbol(fixtures / COHU) == "COHU"
    assert suggested_symbol(fixtures / SPY_DOWNLOAD) == "SPY"
    assert suggested_symbol(fixtures / "GSPC_yahoo_1987-2025.csv") == "^GSPC"  # not GSPC
    assert suggested_symbol(tmp_path / "_GSPC.csv") == "^GSPC"  # as the CSV folder names it
    assert suggested_symbol(tmp_path / "rut_daily.csv") == "^RUT"
    assert suggested_symbol(tmp_path / "brk-b.csv") == "BRK-B"
    assert suggested_symbol(tmp_path / "^rut.csv") == "^RUT"
    assert suggested_symbol(tmp_path / "_odd.csv") == ""
