"""PySide's look at every imported module, answered up front for the standard library.

Once PySide6 is imported, each ``import`` statement hands its module to PySide's ``__feature__``
support (the opt-in ``snake_case`` and ``true_property``), which, the first time it meets a
module's name, reads the module's source to see whether it mentions "PySide6", and notes the
answer in a table (0: it does, -1: it does not). At our start that read ~70 sources, 7 to 14 ms,
most of it the standard library's large files (typing, datetime, inspect, argparse, logging...),
whose answer is known: they never mention PySide6. ``note_standard_library`` enters their names
in the table with PySide's own answer, so their sources are not read; every other module (ours,
PySide's) is still looked at by PySide itself. The app uses no ``__feature__``.

The table is PySide's private ``PySide6.support.feature.pyside_feature_dict`` (PySide 6.11); a
PySide without it is left alone. ``tests/ui/test_pyside_scan.py`` checks that the answer given is
the one PySide finds, and that the sources are then not read.
"""

from __future__ import annotations

import sys

#: PySide's answer for a module that does not mention PySide6.
DOES_NOT_USE_PYSIDE = -1


def note_standard_library() -> int:
    """Enter the standard library's modules (those loaded and every top-level name) in PySide's
    table as not using PySide6; call it right after importing PySide6. The number entered (0:
    the table is not there)."""
    feature = sys.modules.get("PySide6.support.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    stdlib = sys.stdlib_module_names
    names = set(stdlib) | {name for name in sys.modules if name.partition(".")[0] in stdlib}
    entered = 0
    for name in names:
        if name not in table:
            table[name] = DOES_NOT_USE_PYSIDE
            entered += 1
    return entered
