"""Shipped files are found from a frozen bundle, an install, and a bare checkout alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop import resource_files
from desktop.resource_files import resource_path

REPO = Path(__file__).resolve().parents[1]
ICON = "portfolio-desk.svg"


def test_the_icon_is_found_and_is_the_repository_s_svg():
    path = resource_path(ICON)
    assert path.read_bytes() == (REPO / "resources" / ICON).read_bytes()
    assert path.read_text().lstrip().startswith("<svg")


def test_a_frozen_bundle_is_looked_in_first(tmp_path, monkeypatch):
    bundled = tmp_path / "desktop" / "resources"
    bundled.mkdir(parents=True)
    (bundled / ICON).write_text("<svg>bundled</svg>")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)

    assert resource_path(ICON) == bundled / ICON


def test_a_checkout_without_the_installed_package_reads_resources_beside_desktop(monkeypatch):
    def no_package(name):
        raise ModuleNotFoundError(f"No module named {name!r}")

    monkeypatch.setattr("importlib.resources.files", no_package)

    assert resource_path(ICON) == REPO / "resources" / ICON
    assert resource_files.resource_folders() == [REPO / "resources"]


def test_a_missing_file_is_an_error_naming_where_it_looked():
    with pytest.raises(FileNotFoundError, match="nothing.png"):
        resource_path("nothing.png")


def test_from_the_checkout_root_python_m_desktop_finds_the_icon(subprocess_env):
    """``python -m desktop`` from the repository root imports the checkout's ``desktop`` (which
    has no ``resources`` subpackage) even when the project is installed non-editable."""
    code = f"from desktop.resource_files import resource_path; print(resource_path({ICON!r}))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert Path(out.stdout.strip()).read_bytes() == (REPO / "resources" / ICON).read_bytes()
