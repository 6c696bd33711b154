"""The files the app ships beside its code (icons), found the same way however it was installed.

They live in the repository's top-level ``resources/`` folder, which is installed as the package
``desktop.resources`` (``setup.py``). Three places are looked in, first match wins:

1. a frozen build (PyInstaller sets ``sys._MEIPASS``): ``<bundle>/desktop/resources``, where
   collecting the package ``desktop.resources`` puts them;
2. the installed package ``desktop.resources`` (a normal or an editable install);
3. the checkout: ``resources/`` beside the ``desktop`` package. This is the case when
   ``python -m desktop`` runs from the repository root, whose ``desktop/`` shadows an installed
   one and has no ``resources`` subpackage.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = "desktop.resources"


def resource_path(name: str) -> Path:
    """The path of the shipped file ``name``; raises ``FileNotFoundError`` if no place has it
    (a broken install: a bug, not a user error)."""
    for folder in resource_folders():
        path = folder / name
        if path.is_file():
            return path
    raise FileNotFoundError(f"{name} is in none of {[str(f) for f in resource_folders()]}")


def resource_folders() -> list[Path]:
    """Where shipped files are looked for, in order (only folders that exist)."""
    folders = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle) / "desktop" / "resources")
    try:
        from importlib.resources import files

        folders.append(Path(str(files(PACKAGE))))
    except (ModuleNotFoundError, TypeError):
        pass  # run from a checkout without an install of the resources package
    folders.append(Path(__file__).resolve().parent.parent / "resources")
    return [f for f in dict.fromkeys(folders) if f.is_dir()]
