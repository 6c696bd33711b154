"""The standard library's entries in PySide's table of modules (``desktop.ui.pyside_scan``): the
answer PySide itself finds, and their sources then not read on an import."""

from __future__ import annotations

import sys

from tests.conftest import printed_by

PROBE = """
import sys
import PySide6.QtCore
import PySide6.support.feature as feature
from desktop.ui.pyside_scan import DOES_NOT_USE_PYSIDE, note_standard_library

read = []
looked_at = feature._mod_uses_pyside
feature._mod_uses_pyside = lambda module: read.append(module.__name__) or looked_at(module)
entered = note_standard_library()
table = feature.pyside_feature_dict
print("entered some:", entered > 100)
# What PySide itself finds for every loaded standard-library module entered.
stdlib = [m for n, m in list(sys.modules.items()) if n.partition(".")[0] in sys.stdlib_module_names]
differ = [m.__name__ for m in stdlib if (0 if looked_at(m) else -1) != table.get(m.__name__)]
print("answers that differ:", differ)
import json, wave  # not loaded before: entered by their names, so their sources are not read
from desktop.core.periods import PERIODS  # ours: PySide looks at it
print("read:", sorted(n for n in read if n in ("json", "wave", "desktop.core.periods")))
print("ours:", table["desktop.core.periods"] == DOES_NOT_USE_PYSIDE)
print("again:", note_standard_library())
"""


def test_the_standard_library_is_entered_as_pyside_would_and_not_read(subprocess_env):
    assert printed_by(PROBE, subprocess_env) == [
        "entered some: True",
        "answers that differ: []",
        "read: ['desktop.core.periods']",
        "ours: True",  # no PySide6 in it, found by PySide reading it
        "again: 0",
    ]


def test_without_pysides_table_nothing_is_done(monkeypatch):
    from desktop.ui import pyside_scan

    monkeypatch.setitem(sys.modules, "PySide6.support.feature", object())
    assert pyside_scan.note_standard_library() == 0
