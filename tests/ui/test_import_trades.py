"""File → Import trades…: the dialog maps, previews and checks; the window adds the trades as
one undoable step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.core.model import TradeType
from desktop.data.formats.trade_presets import saved
from desktop.ui.import_trades_dialog import ImportTradesDialog, RowsModel

FIXTURES = Path(__file__).parents[1] / "fixtures" / "imports"
BROKER = FIXTURES / "us_broker_history.csv"
TODAY = dt.date(2025, 1, 15)


@pytest.fixture
def store(tmp_path):
    from desktop.data.store import Store

    with Store(tmp_path / "p.sqlite") as s:
        yield s


def dialog_for(qtbot, path, store):
    dialog = ImportTradesDialog(path, store, today=TODAY)
    qtbot.addWidget(dialog)
    return dialog


def column(dialog, header):
    model = dialog.rows_model
    at = RowsModel.HEADERS.index(header)
    return [
        model.data(model.index(r, at), Qt.ItemDataRole.DisplayRole) for r in range(model.rowCount())
    ]


def test_a_brokers_file_is_recognised_previewed_and_every_row_shown(qtbot, store):
    dialog = dialog_for(qtbot, BROKER, store)
    assert dialog.preset.currentData() == "us-broker"
    assert dialog.pickers["date"].currentText() == "Date"
    assert dialog.pickers["fee"].currentText() == "Fees & Comm"
    assert dialog.dates.currentData() == "us" and dialog.signed.isChecked()
    # The file's first rows, as they are.
    assert dialog.preview.item(0, 1).text() == "Action"
    assert dialog.preview.item(1, 7).text() == "-$26.00"
    # Every row as it would be imported: 9 trades, the total skipped.
    assert column(dialog, "Status") == ["import"] * 9 + ["skipped"]
    assert column(dialog, "Type")[:4] == ["buy", "dividend", "sell", "interest"]
    assert column(dialog, "Date")[3] == "2024-09-30"  # "10/01/2024 as of 09/30/2024"
    assert column(dialog, "Amount")[:2] == ["", "26.00"]  # a buy's cash amount is left out
    assert dialog.import_button.text() == "Import 9 trades" and dialog.import_button.isEnabled()
    assert dialog.summary.text() == "9 new trades, 1 row skipped."
    words = {
        dialog.words.item(r, 0).text(): dialog.words.cellWidget(r, 1).currentData()
        for r in range(dialog.words.rowCount())
    }
    assert words["Reinvest Shares"] == "buy" and words["Journal"] == "deposit/withdrawal"
    assert len(dialog.trades()) == 9


def test_a_wrong_date_format_refuses_every_row_and_imports_nothing(qtbot, store):
    dialog = dialog_for(qtbot, BROKER, store)
    dialog.dates.setCurrentIndex(dialog.dates.findData("iso"))
    dialog.dates.activated.emit(dialog.dates.currentIndex())
    assert column(dialog, "Status").count("refused") == 9
    assert dialog.import_button.text() == "Import 0 trades"
    assert not dialog.import_button.isEnabled() and dialog.trades() == []
    assert "Nothing is imported until every row reads: line 2:" in dialog.summary.text()
    assert "not a date written 2024-03-15" in column(dialog, "Why")[0]
    assert dialog.preset.currentData() == ""  # no longer the preset: the user's own


def test_a_word_mapped_in_the_dialog_is_imported_and_the_mapping_saved_as_a_preset(
    qtbot, store, tmp_path
):
    path = tmp_path / "bank.csv"
    path.write_text(
        "Datum;Vorgang;Wertpapier;Stück;Kurs;Betrag\n"
        "02.01.2024;Einzahlung;;;;10.000,00\n"
        "05.01.2024;Kauf;COHU;100;32,10;-3.210,00\n"
    )
    dialog = dialog_for(qtbot, path, store)
    dialog.separator.setCurrentIndex(dialog.separator.findData(";"))
    dialog.separator.activated.emit(0)
    for name, header in (
        ("date", "Datum"),
        ("type", "Vorgang"),
        ("symbol", "Wertpapier"),
        ("quantity", "Stück"),
        ("price", "Kurs"),
        ("amount", "Betrag"),
    ):
        picker = dialog.pickers[name]
        picker.setCurrentIndex(picker.findText(header))
        picker.activated.emit(picker.currentIndex())
    for combo, value in ((dialog.dates, "eu"), (dialog.numbers, ",")):
        combo.setCurrentIndex(combo.findData(value))
        combo.activated.emit(combo.currentIndex())
    dialog.signed.setChecked(True)
    assert column(dialog, "Status") == ["refused", "refused"]  # "Einzahlung": which type?
    assert "type: 'einzahlung' is not a trade type" in column(dialog, "Why")[0]
    for r in range(dialog.words.rowCount()):
        combo = dialog.words.cellWidget(r, 1)
        word = dialog.words.item(r, 0).text()
        combo.setCurrentIndex(combo.findData({"Einzahlung": "deposit", "Kauf": "buy"}[word]))
        combo.activated.emit(combo.currentIndex())
    assert column(dialog, "Status") == ["import", "import"]
    assert [(t.type, t.amount, t.quantity, t.price) for t in dialog.trades()] == [
        (TradeType.DEPOSIT, D("10000.00"), 0, 0),
        (TradeType.BUY, 0, D(100), D("32.10")),
    ]
    assert dialog.save_preset("my bank") == ""
    assert saved(store)["my bank"].types == {"einzahlung": "deposit", "kauf": "buy"}
    assert dialog.preset.currentData() == "my bank"
    assert "comes with the app" in dialog.save_preset("us-broker")


def test_the_window_imports_as_one_step_that_undoes_and_redoes_and_knows_its_duplicates(
    make_window, qtbot, today_is
):
    today_is(TODAY)
    window = make_window()
    window.confirm_import = lambda dialog: True
    assert window.import_trades(str(BROKER)) == 9
    assert len(window.store.trades()) == 9
    assert "Imported 9 trades from us_broker_history.csv" in window.statusBar().currentMessage()
    assert window.undo_stack.undoText() == "Import 9 trades from us_broker_history.csv"
    ids = sorted(t.id for t in window.store.trades())
    window.undo_stack.undo()
    assert window.store.trades() == []
    window.undo_stack.redo()
    assert sorted(t.id for t in window.store.trades()) == ids  # the same entries again
    window.tabs.setCurrentIndex(1)
    assert window.trades_model.rowCount() == 9
    # A second import of the same file finds every row in the ledger: nothing to add.
    seen = []
    window.confirm_import = lambda dialog: seen.append(dialog) or True
    assert window.import_trades(str(BROKER)) == 0
    assert seen[0].import_button.text() == "Import 0 trades"
    assert "9 already in the ledger" in seen[0].summary.text()
    seen[0].duplicates.setChecked(True)
    assert seen[0].import_button.text() == "Import 9 trades"
    assert len(window.store.trades()) == 9


def test_a_file_that_cannot_be_read_says_why_and_offers_nothing(qtbot, store, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("date,type,note\n2024-01-02,deposit,caf\xe9\n".encode("latin-1"))
    dialog = dialog_for(qtbot, path, store)
    assert "cannot be read as a UTF-8 text file" in dialog.summary.text()
    assert not dialog.import_button.isEnabled() and dialog.trades() == []
