"""The Help menu: the keyboard shortcuts, what the numbers mean (F1), the data sources and their
limits, the log folder, and About.

Each page is a dialog of selectable text (``help_pages.HelpPage``; the About page's text is
``about_page``'s), not modal, so it can stay open beside the chart; Esc or Close closes it. A
page is made when first asked for and raised when asked again. This module only wires the menu,
before the first paint: the pages' modules are imported when one is first opened. The page
actions work from every window of the app (an instrument's, Markets), not only the main one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from desktop.ui.actions import SPECS, Act
from desktop.ui.qt_enums import set_enum

if TYPE_CHECKING:
    from desktop.ui.help_pages import HelpPage

MENU = (
    Act.SHOW_SHORTCUTS,
    Act.EXPLAIN_NUMBERS,
    Act.DATA_SOURCES,
    None,
    Act.OPEN_LOGS,
    None,
    Act.ABOUT,
)


def _shortcuts(window: Any) -> str:
    from desktop.ui.help_pages import shortcuts_html

    return shortcuts_html(window)


def _numbers(window: Any) -> str:
    from desktop.ui.help_pages import numbers_html

    return numbers_html()


def _sources(window: Any) -> str:
    from desktop.ui.help_pages import sources_html

    return sources_html(window)


def _about(window: Any) -> str:
    from desktop.ui.about_page import about_html

    return about_html()


#: Each page's action and how its HTML is made (given the main window).
PAGES: dict[Act, Callable[[Any], str]] = {
    Act.SHOW_SHORTCUTS: _shortcuts,
    Act.EXPLAIN_NUMBERS: _numbers,
    Act.DATA_SOURCES: _sources,
    Act.ABOUT: _about,
}


class Help(QObject):
    """The Help menu's actions, wired, and the pages opened from them (by action)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.pages: dict[Act, HelpPage] = {}
        actions = window.actions
        self.menu: QMenu = window.menuBar().addMenu("He&lp")  # Alt+H is the Holdings tab's
        for key in MENU:
            self.menu.addSeparator() if key is None else self.menu.addAction(actions[key])
        for key in PAGES:
            # By name: the menu is built before the first paint (``qt_enums``).
            set_enum(actions[key], "shortcutContext", "ApplicationShortcut")
            actions[key].triggered.connect(lambda _=False, key=key: self.show_page(key))
        actions[Act.ABOUT].setMenuRole(QAction.MenuRole.AboutRole)
        actions[Act.OPEN_LOGS].triggered.connect(self.open_log_folder)

    def show_page(self, key: Act) -> HelpPage:
        """Open the page of ``key`` (or raise it, already open), its text focused for keys."""
        page = self.pages.get(key)
        if page is None:
            from desktop.ui.help_pages import HelpPage

            title = SPECS[key].text.replace("&", "").rstrip("…")
            page = HelpPage(title, PAGES[key](self.window), self.window)
            if key is Act.ABOUT:
                page.add_about_qt()
            self.pages[key] = page
        page.show()
        page.raise_()
        page.activateWindow()
        page.browser.setFocus()
        return page

    def open_log_folder(self) -> None:
        """The log folder in the system's file manager (made first, so there is one)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from desktop.data import logs

        app_log = logs.current()
        folder = app_log.folder if app_log is not None and app_log.folder else logs.log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.window.statusBar().showMessage(f"The log folder {folder}: {exc}", 15000)
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.window.statusBar().showMessage(f"The log folder is {folder}", 15000)


def install_help_menu(window: Any) -> Help:
    """Add the Help menu to ``window`` (a ``MainWindow``: its ``actions`` and menu bar)."""
    return Help(window)
