"""The files the app ships beside its code (icons), found the same way however it was installed.

They live in the repository's top-level ``resources/`` folder, which is installed as the package
``desktop.resources`` (``setup.py``). These places are looked in, first match wins:

1. a frozen build (PyInstaller sets ``sys._MEIPASS``): ``<bundle>/desktop/resources``, where
   collecting the package ``desktop.resources`` puts them;
2. the installed package's folder, ``desktop/resources`` beside this module (a normal install);
3. the checkout: ``resources/`` beside the ``desktop`` package (an editable install, or
   ``python -m desktop`` from the repository root, whose ``desktop/`` shadows an installed one
   and has no ``resources`` subpackage);
4. wherever ``importlib.resources`` finds the package (an install laid out otherwise). It is
   asked last because importing it costs about 5 ms of the window's start.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = "desktop.resources"


def resource_path(name: str) -> Path:
    """The path of the shipped file ``name``; raises ``FileNotFoundError`` if no place has it
    (a broken install: a bug, not a user error)."""
    for folder in _plain_folders():
        if (folder / name).is_file():
            return folder / name
    for folder in resource_folders():
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{name} is in none of {[str(f) for f in resource_folders()]}")


def resource_folders() -> list[Path]:
    """Where shipped files are looked for, in order (only folders that exist)."""
    folders = _plain_folders()
    try:
        from importlib.resources import files

        folders.append(Path(str(files(PACKAGE))))
    except (ModuleNotFoundError, TypeError):
        pass  # run from a checkout without an install of the resources package
    return [f for f in dict.fromkeys(folders) if f.is_dir()]


def _plain_folders() -> list[Path]:
    """The places that need no import to find: the bundle, the installed package's folder and
    the checkout's (only that of a checkout: one that holds ``pyproject.toml``)."""
    here = Path(__file__).resolve().parent
    folders = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle) / "desktop" / "resources")
    folders.append(here / "resources")
    if (here.parent / "pyproject.toml").is_file():
        folders.append(here.parent / "resources")
    return [f for f in folders if f.is_dir()]
