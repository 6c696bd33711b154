"""PySide6.QtGui as PyInstaller's own hook collects it, less the Qt plugins the app never loads.

PyInstaller's hook collects every plugin folder of QtGui; this one (the spec's ``hookspath``
gives user hooks priority over the built-in one) drops a few *before* the analysis follows
their shared-library dependencies, so the libraries only they need are never collected either:

- the platforms for embedded Linux and remote screens (``eglfs``, ``linuxfb``, ``minimalegl``,
  ``vnc``, ``vkkhrdisplay``) and their ``egldeviceintegrations`` and ``generic`` (evdev, TUIO
  input) plugins: a desktop app runs on xcb or Wayland (Windows, Cocoa on the others); the
  ``offscreen`` platform stays, for ``--smoke-test``;
- the GTK 3 platform theme (``qgtk3``): it links GTK, so collecting it would bundle the build
  machine's GTK, GDK, Cairo, Pango and ATK, which then meet the user's own GTK themes and
  modules (version clashes and warnings on stderr); without it Qt uses the XDG portal theme or
  its own, with the same widgets.
"""

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

#: Plugin folders dropped whole.
UNUSED_FOLDERS = {"egldeviceintegrations", "generic"}
#: Plugins dropped from a folder, by a word in their file name (libqeglfs.so, qvnc.dll, ...).
UNUSED_PLUGINS = {
    "platforms": ("eglfs", "linuxfb", "minimalegl", "vnc", "vkkhrdisplay"),
    "platformthemes": ("gtk3",),
}


def _wanted(src: str) -> bool:
    path = PurePath(src)
    folder = path.parent.name
    if path.parent.parent.name != "plugins":
        return True
    if folder in UNUSED_FOLDERS:
        return False
    return not any(word in path.name for word in UNUSED_PLUGINS.get(folder, ()))


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if _wanted(src)]
