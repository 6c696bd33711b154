"""View > Open instrument (Ctrl+O): a name typed finds its symbol through the search, a symbol
typed opens as is, a malformed one is refused in the dialog; the window then opens."""

from __future__ import annotations

from desktop.ui.actions import Act
from desktop.ui.open_symbol import OpenSymbolDialog
from tests.ui.test_symbol_search import (  # noqa: F401 - fixtures
    FakeSource,
    make_searcher,
    picked,
    runner,
    type_and_wait_for_popup,
)


def test_a_search_hit_is_the_symbol_opened(qtbot, runner, picked, tmp_path):  # noqa: F811
    searcher = make_searcher(runner, FakeSource(), picked, tmp_path)
    dialog = OpenSymbolDialog(["COHU"], searcher)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.edit.setFocus()
    type_and_wait_for_popup(qtbot, dialog.search, dialog.edit, "apple")
    dialog.search.choose(1)
    dialog.accept()
    assert dialog.chosen == "APLE" and dialog.result() == OpenSymbolDialog.DialogCode.Accepted


def test_a_malformed_symbol_is_refused_in_the_dialog(qtbot):
    dialog = OpenSymbolDialog(["COHU"])
    qtbot.addWidget(dialog)
    dialog.edit.setText("CO HU;")
    dialog.accept()
    assert dialog.chosen == "" and dialog.problem.text() and not dialog.problem.isHidden()
    dialog.edit.setText(" cohu ")
    dialog.accept()
    assert dialog.chosen == "COHU"


def test_ctrl_o_suggests_the_selected_holding_and_opens_what_was_chosen(make_window, qtbot):
    from tests.ui.conftest import buy

    window = make_window()
    window.store.upsert_prices("COHU", [{"date": "2024-03-08", "close": 31.95}], "csv")
    assert window.editor.add_trade(buy()) == []
    window.tabs.setCurrentIndex(0)
    window.holdings_view.selectRow(0)
    asked = []
    window.ask_symbol = lambda known, searcher, parent, suggested: (
        asked.append((list(known), suggested)) or "^RUT"
    )
    window.actions[Act.OPEN_INSTRUMENT].trigger()
    assert asked == [(["COHU"], "COHU")]
    assert "^RUT" in window.instrument_views
    window.instrument_views["^RUT"].close()
    assert window.actions[Act.OPEN_INSTRUMENT].shortcut().toString() == "Ctrl+O"


def test_the_command_line_s_instrument_opens_its_window_or_says_why(make_window):
    from desktop.ui.launch import _open_asked

    window = make_window()
    _open_asked(window, " sum ")
    assert "SUM" in window.instrument_views
    window.instrument_views["SUM"].close()
    _open_asked(window, "S UM;")
    assert window.statusBar().currentMessage().startswith("--instrument: ")
    assert set(window.instrument_views) <= {"SUM"}


def test_an_instrument_opened_before_the_first_snapshot_still_shows_the_position(make_window):
    from tests.ui.conftest import buy

    window = make_window()
    window.store.upsert_prices("COHU", [{"date": "2024-01-05", "close": 32.10}], "csv")
    assert window.editor.add_trade(buy(qty="100")) == []
    window.performance = None  # as at start, before the worker's snapshot
    view = window.open_instrument("COHU")
    assert view.position_values["quantity"].text() == "100"
    assert view.position_values["cost_basis"].text() == "3,211.00"  # 100 x 32.10 + 1
    view.close()
