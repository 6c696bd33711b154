"""Guards against a broken Qt binding: PySide6 6.12.0 on Python 3.11 releases a reference to
None on every void call, and the app aborts once the count runs out."""

import sys

import pytest
from PySide6.QtCore import QObject


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_void_qt_calls_leave_none_refcount_alone():
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        obj.setObjectName("x")
    assert abs(sys.getrefcount(None) - before) < 50
