"""Qt's enum values for what the first paint builds, without PySide's ``Qt`` namespace.

PySide6 makes the ``Qt`` namespace's Python enums, all 93 of them (1,195 values), the first time
any one is used, imported, or met in a call (setting a Python model on a view, overloads that
take a ``Qt.GlobalColor``): about 14 ms, a tenth of the start. So the widgets of the first paint
set their enum properties by key name through Qt's property system (as Qt Designer's files do:
``set_enum``), the table models match roles as the plain ints below, and the holdings table
paints its first rows from a copy in Qt's own items (``RowsModel.static_copy``); the namespace
is made right after the paint. Everything else uses ``Qt`` as usual. ``--smoke-test`` says
whether the namespace was made before the first paint (``tests/test_smoke.py`` holds it to no).
"""

from __future__ import annotations

from PySide6.QtCore import QObject

#: ``Qt.ItemDataRole`` values (``tests/ui/test_qt_enums.py`` checks them against Qt's).
DISPLAY = 0  #: DisplayRole
TOOLTIP = 3  #: ToolTipRole
ALIGN = 7  #: TextAlignmentRole
FOREGROUND = 9  #: ForegroundRole
RAW = 256  #: UserRole: a cell's raw value, for sorting and filtering
#: ``Qt.AlignRight | Qt.AlignVCenter``, as a model returns it for a number's cell.
RIGHT = 0x0082


def set_enum(obj: QObject, name: str, keys: str) -> None:
    """Set ``obj``'s enum or flags property ``name`` by key name: ``"AlignCenter"``,
    ``"AlignRight|AlignVCenter"``. A property or key Qt does not know raises ``ValueError``
    (Qt would otherwise keep it as a dynamic property and say nothing)."""
    meta = obj.metaObject()
    if meta.indexOfProperty(name) < 0:
        raise ValueError(f"{meta.className()} has no property {name!r}")
    if not obj.setProperty(name, keys):
        raise ValueError(f"{meta.className()}.{name} takes no value {keys!r}")


def namespace_made() -> bool:
    """Whether PySide has made the ``Qt`` namespace's enums (asked from Python, or met in a
    call from C++): ``enum`` classes named ``Qt.*``, found among ``enum.Enum``'s subclasses
    (a few hundred; microseconds)."""
    import enum

    classes: list[type] = [enum.Enum]
    while classes:
        cls = classes.pop()
        if cls.__module__ == "PySide6.QtCore" and cls.__qualname__.startswith("Qt."):
            return True
        classes.extend(cls.__subclasses__())
    return False
