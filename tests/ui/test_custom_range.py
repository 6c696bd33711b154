"""A custom range, from a day to a day: asked in a dialog, shown everywhere, as the report's."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QDate

from tests.ui.test_comparison_panels import _window


def test_a_custom_range_is_what_report_from_to_says(make_window, monkeypatch, capsys):
    from desktop.app import main
    from desktop.ui.range_dialog import RangeDialog

    window = _window(make_window)

    def answer(dialog):
        dialog.start.setDate(QDate(2023, 6, 1))
        dialog.end.setDate(QDate(2024, 3, 29))
        return RangeDialog.DialogCode.Accepted

    monkeypatch.setattr(RangeDialog, "exec", answer)
    window.chart.custom_button.click()
    assert window.chart_range == "2023-06-01..2024-03-29"
    assert window.chart.range_name() == "2023-06-01..2024-03-29"
    assert window.chart.custom_button.isChecked()
    assert "1 Jun 2023 – 29 Mar 2024" in window.chart.custom_button.toolTip()
    assert window.figure_strip.shown[0].caption == "1 Jun 2023 – 29 Mar 2024 return"
    assert not any(b.isChecked() for b in window.chart._buttons.buttons())
    argv = ["report", "--json", "--from", "2023-06-01", "--to", "2024-03-29"]
    assert main([*argv, "--db", window.store.path]) == 0
    reported = json.loads(capsys.readouterr().out)["portfolio"]["ttwror"]
    assert window.shown_ttwror == reported
    snapshot = window.performance.for_range(window.chart_range)
    assert snapshot.end_day <= dt.date(2024, 3, 29) and snapshot.window.end.date() == dt.date(
        2024, 3, 29
    )
    # A named range again: the custom button lets go.
    window.chart.range_button("1Y").click()
    assert window.chart_range == "1Y" and not window.chart.custom_button.isChecked()
    assert window.chart.custom_button.toolTip() == "From one day to another, both included"


def test_a_cancelled_dialog_changes_nothing_and_a_backwards_range_cannot_be_taken(
    make_window, monkeypatch
):
    from desktop.ui.range_dialog import RangeDialog

    window = _window(make_window)
    window.set_chart_range("1Y")
    monkeypatch.setattr(RangeDialog, "exec", lambda self: RangeDialog.DialogCode.Rejected)
    window.chart.custom_button.click()
    assert window.chart_range == "1Y" and not window.chart.custom_button.isChecked()
    dialog = RangeDialog(dt.date(2024, 1, 2), dt.date(2024, 6, 28))
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert ok.isEnabled()
    dialog.start.setDate(QDate(2024, 7, 1))
    assert not ok.isEnabled() and "starts after it ends" in dialog.problem.text()


def test_the_dialog_offers_the_days_of_the_range_shown(make_window, monkeypatch):
    from desktop.ui.range_dialog import RangeDialog

    window = _window(make_window)
    window.set_chart_range("1Y")
    shown = window.performance.for_range("1Y")
    offered = []

    def look(dialog):
        offered.append(dialog.days())
        return RangeDialog.DialogCode.Accepted  # taken as offered

    monkeypatch.setattr(RangeDialog, "exec", look)
    window.chart.custom_button.click()
    assert offered == [(shown.period.start, shown.period.end)]
    # Taken unchanged, the custom range is the 1Y range: the same return to the last digit.
    assert window.shown_ttwror == window.performance.ttwror("1Y")
