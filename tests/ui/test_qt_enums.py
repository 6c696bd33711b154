"""What the first paint uses instead of the ``Qt`` namespace (``desktop.ui.qt_enums``): plain
ints that must be Qt's own values, enum properties set by key name, and a check of whether
PySide has made the namespace yet."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter

from desktop.ui import qt_enums
from tests.conftest import printed_by


def test_the_plain_ints_are_qts_own_values():
    role = Qt.ItemDataRole
    assert qt_enums.DISPLAY == role.DisplayRole.value
    assert qt_enums.TOOLTIP == role.ToolTipRole.value
    assert qt_enums.ALIGN == role.TextAlignmentRole.value
    assert qt_enums.FOREGROUND == role.ForegroundRole.value
    assert qt_enums.RAW == role.UserRole.value
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert qt_enums.RIGHT == right.value


def test_an_enum_property_is_set_by_its_key_names(qtbot):
    label = QLabel("x")
    qtbot.addWidget(label)
    qt_enums.set_enum(label, "alignment", "AlignCenter")
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    qt_enums.set_enum(label, "alignment", "AlignRight|AlignVCenter")
    assert label.alignment() == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    qt_enums.set_enum(label, "textFormat", "RichText")
    assert label.textFormat() == Qt.TextFormat.RichText
    splitter = QSplitter()
    qtbot.addWidget(splitter)
    qt_enums.set_enum(splitter, "orientation", "Vertical")
    assert splitter.orientation() == Qt.Orientation.Vertical


def test_a_property_or_key_qt_does_not_know_is_refused_not_kept(qtbot):
    label = QLabel("x")
    qtbot.addWidget(label)
    with pytest.raises(ValueError, match="QLabel has no property 'alignmnet'"):
        qt_enums.set_enum(label, "alignmnet", "AlignCenter")
    assert label.dynamicPropertyNames() == []  # no stray dynamic property left behind
    with pytest.raises(ValueError, match="QLabel.alignment takes no value 'AlignMiddle'"):
        qt_enums.set_enum(label, "alignment", "AlignMiddle")
    assert label.alignment() == Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


NAMESPACE_PROBE = """
import sys
from PySide6.QtCore import QAbstractTableModel
from PySide6.QtWidgets import QApplication, QTableView
from desktop.ui.qt_enums import namespace_made

class Rows(QAbstractTableModel):
    def rowCount(self, parent=None):
        return 1
    def columnCount(self, parent=None):
        return 1
    def data(self, index, role=0):
        return "x" if role == 0 else None
    def headerData(self, section, orientation, role=0):
        return "Header" if role == 0 else None

app = QApplication(sys.argv[:1])
view = QTableView()
print("at start:", namespace_made())
view.setModel(Rows())  # Qt asks the model's headerData, passing a Qt.Orientation
print("after a Python model's header:", namespace_made())
from PySide6.QtCore import Qt
print("after an import:", namespace_made())
"""


def test_the_namespace_is_found_made_when_cpp_made_it(subprocess_env):
    """PySide makes the namespace when C++ passes one of its enums to Python (here a header's
    orientation), not only on an import (a fresh process: this one made it long ago)."""
    env = {**subprocess_env, "QT_QPA_PLATFORM": "offscreen"}
    assert printed_by(NAMESPACE_PROBE, env) == [
        "at start: False",
        "after a Python model's header: True",
        "after an import: True",
    ]
