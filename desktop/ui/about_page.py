"""About Portfolio Desk: its version, the versions it runs on, and the libraries it ships with,
each with its license as its installed metadata states it.

The version is the installed package's (``importlib.metadata``), else ``desktop.__version__``
(a frozen build carries no metadata of the app itself). The libraries are the app's
dependencies and theirs, as installed; a build without their metadata lists the direct ones
by name. Qt and PySide6 are under the LGPL v3: the page says where their shared libraries are
in this copy and how to replace them.
"""

from __future__ import annotations

import re
import sys
from html import escape
from importlib import metadata
from pathlib import Path

from desktop import APP_NAME, __version__
from desktop.ui.help_pages import STYLE

DISTRIBUTION = "portfolio-desk"
#: The direct dependencies, by distribution name, when the app's own metadata is not there.
KNOWN_DEPENDENCIES = (
    "PySide6-Essentials",
    "pandas",
    "numpy",
    "yfinance",
    "pyqtgraph",
    "sqlite-utils",
    "platformdirs",
    "pyxirr",
)
QT_SOURCE = "https://www.qt.io/download-open-source"
PYSIDE_SOURCE = "https://code.qt.io/cgit/pyside/pyside-setup.git/"
LGPL = "https://www.gnu.org/licenses/lgpl-3.0.html"
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def app_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return __version__


def license_of(dist: metadata.Distribution) -> str:
    """The license its metadata states: the SPDX expression, else a short License field, else
    the classifiers' names; "not stated" when none."""
    meta = dist.metadata
    expression = (meta.get("License-Expression") or "").strip()
    if expression:
        return expression
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= 80:
        return text
    classified = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.count("::") >= 2
    ]
    if classified:
        return ", ".join(dict.fromkeys(classified))
    return "not stated in its metadata"


def _applies(marker: str) -> bool:
    """Whether a requirement's environment marker holds here (``platform_system ==
    'Windows'``); read with ``packaging`` where it is installed, else taken to hold."""
    if not marker.strip():
        return True
    try:
        from packaging.markers import InvalidMarker, Marker
    except ImportError:
        return True
    try:
        return Marker(marker).evaluate()
    except InvalidMarker:
        return True


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def libraries() -> list[tuple[str, str, str]]:
    """(name, version, license) of every installed library the app depends on, directly or
    not, by name. Requirements of extras are left out, and those whose marker excludes this
    platform (an installed one is listed where the marker cannot be read)."""
    try:
        wanted = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        wanted = list(KNOWN_DEPENDENCIES)
    found: dict[str, tuple[str, str, str]] = {}
    queue = list(wanted)
    while queue:
        requirement = queue.pop(0)
        name, _, marker = requirement.partition(";")
        if "extra" in marker or not _applies(marker):
            continue
        match = _NAME.match(name)
        if not match or _normal(match.group(1)) in found:
            continue
        try:
            dist = metadata.distribution(match.group(1))
        except metadata.PackageNotFoundError:
            continue
        shown = dist.metadata.get("Name") or match.group(1)
        found[_normal(match.group(1))] = (shown, dist.version, license_of(dist))
        queue.extend(dist.requires or [])
    return sorted(found.values(), key=lambda row: row[0].lower())


def qt_places() -> tuple[str, str]:
    """Where this copy loads Qt's libraries from, and PySide6's modules."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    qt = QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath)
    return qt, str(Path(PySide6.__file__).resolve().parent)


def about_html() -> str:
    import PySide6
    from PySide6 import QtCore

    from desktop.ui.help_pages import table_row

    version = app_version()
    qt_libraries, pyside = qt_places()
    frozen = getattr(sys, "frozen", False)
    rows = [table_row("Library", "Version", "License", head=True)]
    rows += [table_row(*row) for row in libraries()] or [
        table_row(name, "", "not recorded in this build") for name in KNOWN_DEPENDENCIES
    ]
    try:
        own = _license_of_app()
    except metadata.PackageNotFoundError:
        own = "MIT"
    replace = (
        "In this copy (a build the installers made) they are the Qt and PySide6 files in the "
        "program's own folder, where the table below says."
        if frozen
        else "In a Python environment (pip install) they are in site-packages/PySide6; "
        "installing another PySide6-Essentials build of the same version into that "
        "environment replaces them."
    )
    return STYLE + "".join(
        (
            f"<h2>{escape(APP_NAME)} {escape(version)}</h2>",
            "<p>A desktop portfolio tracker: are you beating the Russell 2000 and the S&amp;P "
            f"500? Licensed under {escape(own)}.</p>",
            "<table>",
            table_row("Python", f"{sys.version.split()[0]} ({sys.implementation.name})"),
            table_row("PySide6", PySide6.__version__),
            table_row("Qt", qt_version(QtCore.qVersion(), QtCore.__version__)),
            table_row("Platform", sys.platform),
            "</table>",
            "<h2>Qt and PySide6: LGPL v3</h2>",
            "<p>Qt and PySide6 (Qt for Python) are used under the GNU Lesser General Public "
            f"License v3 (LGPL-3.0, <a href='{LGPL}'>{LGPL}</a>). They are not built into "
            f"{escape(APP_NAME)}: they are separate shared libraries in its install folder, "
            "and you may replace them with your own or another ABI-compatible build (the same "
            "Qt 6 version, built the same way), keeping their file names. "
            f"{escape(replace)}</p>",
            "<table>",
            table_row("Qt's libraries here", qt_libraries),
            table_row("PySide6's modules here", pyside),
            "</table>",
            f"<p>The source code of Qt is at <a href='{QT_SOURCE}'>{QT_SOURCE}</a>, of PySide6 "
            f"at <a href='{PYSIDE_SOURCE}'>{PYSIDE_SOURCE}</a>.</p>",
            "<h2>Libraries</h2>",
            "<p>Each library's license as its installed metadata states it.</p>",
            f"<table>{''.join(rows)}</table>",
        )
    )


def qt_version(running: str, built: str) -> str:
    """The Qt version loaded, and the one PySide6 was built for when they differ."""
    return running if running == built else f"{running} (PySide6 built for {built})"


def _license_of_app() -> str:
    return license_of(metadata.distribution(DISTRIBUTION))
