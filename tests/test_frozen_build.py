"""The frozen app (packaging/): the icons in resources/ are whole, and, with
``PORTFOLIO_DESK_BUILD_TEST=1`` (``.ci/run`` sets it), the Linux build is made and run.

The build tests run ``packaging/build_linux.sh`` once (about a minute on two cores) into a
temporary folder, unpack the tarball as a user would, and run the frozen executable from it:
the window's ``--smoke-test`` on a temporary database must exit 0 with nothing at all on stderr
and no Qt warning (``QT_FATAL_WARNINGS`` makes one abort the process); the command line must
import prices, report and draw a chart (pandas, numpy, pyxirr, pyqtgraph, Qt's offscreen
drawing). As the window's smoke test exits at its first paint, before pyqtgraph and yfinance
load, every module that the source imports for them must also be in the bundle.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
RESOURCES = REPO / "resources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUILD_VARIABLE = "PORTFOLIO_DESK_BUILD_TEST"

#: Lines the frozen window's --smoke-test may write on stderr besides nothing: none. Qt's
#: offscreen plugin warns only about features a test uses (pyproject's qt_log_ignore), which the
#: smoke test does not; any line is a regression to look at (a library missing from the bundle,
#: a plugin that failed to load, a Python warning), never noise to allow.
ALLOWED_SMOKE_STDERR: tuple[re.Pattern[str], ...] = ()
#: The command line's own notes on stderr (``report`` says which benchmarks have no closes);
#: any other line (a traceback, a warning) fails.
APP_NOTE = re.compile(r"^portfolio-desk: ")


def _offscreen_qt_notes() -> list[re.Pattern[str]]:
    """What Qt's offscreen platform says of features it lacks, as pyproject.toml's
    ``qt_log_ignore`` lists them. ``chart --out FILE.png`` lays its chart widget out on that
    platform, and each layout of a top-level widget prints "This plugin does not support
    propagateSizeHints()" (the source prints the same); allowed for the chart command only,
    never for the window's start."""
    import tomllib

    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    return [re.compile(p) for p in pyproject["tool"]["pytest"]["ini_options"]["qt_log_ignore"]]


def _load_make_icons():
    spec = importlib.util.spec_from_file_location("make_icons", PACKAGING / "make_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- The icons: always checked (no build needed) -------------------------------------------


def test_every_png_size_is_there_at_its_size():
    make_icons = _load_make_icons()
    for size in make_icons.PNG_SIZES:
        head = (RESOURCES / f"portfolio-desk-{size}.png").read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", head[16:24]) == (size, size)


def test_the_ico_holds_every_size_up_to_256():
    make_icons = _load_make_icons()
    entries = make_icons.parse_ico((RESOURCES / "portfolio-desk.ico").read_bytes())
    assert [size for size, _ in entries] == list(make_icons.ICO_SIZES)
    assert dict(entries)[256] == "png" and dict(entries)[16] == "bmp"


def test_the_icns_holds_16_to_1024_as_pngs():
    make_icons = _load_make_icons()
    blocks = make_icons.parse_icns((RESOURCES / "portfolio-desk.icns").read_bytes())
    assert blocks == [(kind.decode(), size) for kind, size in make_icons.ICNS_TYPES]


def test_qt_reads_the_ico_and_the_icns(qapp):
    from PySide6.QtGui import QImageReader

    for name, count in (("portfolio-desk.ico", 7), ("portfolio-desk.icns", 11)):
        reader = QImageReader(str(RESOURCES / name))
        if bytes(reader.format()) == b"" and name.endswith(".icns"):
            continue  # a PySide6 build without the ICNS plugin: parse_icns checked it above
        assert reader.imageCount() == count, name
        assert not reader.read().isNull(), name


def test_the_wheel_ships_the_icons_as_package_data():
    """The spec copies the same patterns into the bundle, so this also covers the frozen app."""
    import tomllib

    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["desktop.resources"]
    for name in ("portfolio-desk.svg", "portfolio-desk.ico", "portfolio-desk.icns"):
        assert any(Path(name).match(p) for p in patterns), name
    assert any(Path("portfolio-desk-16.png").match(p) for p in patterns)


# --- The build (PORTFOLIO_DESK_BUILD_TEST=1) ------------------------------------------------


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """The Linux build, made once: its output folder and the unpacked tarball's app folder."""
    if os.environ.get(BUILD_VARIABLE) != "1":
        pytest.skip(
            f"builds the frozen app with PyInstaller (about a minute): set {BUILD_VARIABLE}=1 "
            "(.ci/run does; it needs pip install -e '.[build]')"
        )
    if not sys.platform.startswith("linux"):
        pytest.skip("packaging/build_linux.sh builds the Linux app; other systems build in CI")
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail(
            f"{BUILD_VARIABLE}=1 but PyInstaller is not installed: pip install -e '.[build]'",
            pytrace=False,
        )
    out = tmp_path_factory.mktemp("build")
    env = _clean_env(os.environ)
    env["PYTHON"] = sys.executable
    env["PYINSTALLER_CONFIG_DIR"] = str(out / "pyinstaller-config")  # its cache, not ~/.cache
    result = subprocess.run(
        ["bash", str(PACKAGING / "build_linux.sh"), "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    tarballs = list(out.glob("portfolio-desk-*-linux-*.tar.gz"))
    assert len(tarballs) == 1, result.stdout
    unpacked = tmp_path_factory.mktemp("unpacked")
    with tarfile.open(tarballs[0]) as tar:
        # The "tar" filter (Python 3.11.4+) keeps the modes and refuses paths out of the folder.
        extra = {"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}
        tar.extractall(unpacked, **extra)
    (app,) = unpacked.iterdir()
    assert app.name == tarballs[0].name.removesuffix(".tar.gz")
    return out, app


def _clean_env(base) -> dict[str, str]:
    """The environment without what would point Python or Qt elsewhere: the frozen app must
    need none of it (and --smoke-test must pick the offscreen platform itself)."""
    env = dict(base)
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "QT_QPA_PLATFORM", "QT_PLUGIN_PATH"):
        env.pop(name, None)
    return env


def _run(app: Path, *argv: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = _clean_env(os.environ)  # HOME and the XDG folders: conftest's private ones
    env.update(extra)
    return subprocess.run(
        [str(app / "portfolio-desk"), *argv],
        env=env,
        cwd=app.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def portfolio(tmp_path, build) -> Path:
    """A temporary database with one buy and the closes of COHU, ^RUT and ^GSPC, written by the
    frozen command line itself."""
    _, app = build
    db = tmp_path / "p.sqlite"
    steps = [
        ["trade", "add", "--date", "2024-01-05", "--symbol", "COHU", "--type", "buy"]
        + ["--quantity", "100", "--price", "32.10"],
        ["import", "prices", str(FIXTURES / "COHU_yahoo_2020-2024.csv"), "--symbol", "COHU"],
        ["import", "prices", str(FIXTURES / "RUT_daily_2023-2024.csv"), "--symbol", "^RUT"],
        ["import", "prices", str(FIXTURES / "GSPC_daily_2023-2024.csv"), "--symbol", "^GSPC"],
    ]
    for argv in steps:
        result = _run(app, *argv, "--db", str(db))
        assert result.returncode == 0, (argv, result.stderr)
        assert result.stderr == "", (argv, result.stderr)
    return db


def test_the_tarball_holds_the_app_its_menu_entry_and_icons(build):
    _, app = build
    assert os.access(app / "portfolio-desk", os.X_OK)
    assert os.access(app / "install.sh", os.X_OK)
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(app / "portfolio-desk.desktop")
    desktop = entry["Desktop Entry"]
    assert (desktop["Type"], desktop["Exec"], desktop["Icon"]) == (
        "Application",
        "portfolio-desk",
        "portfolio-desk",
    )
    for size in _load_make_icons().PNG_SIZES:
        icon = app / "share/icons/hicolor" / f"{size}x{size}" / "apps" / "portfolio-desk.png"
        assert icon.read_bytes() == (RESOURCES / f"portfolio-desk-{size}.png").read_bytes()
    assert (app / "share/icons/hicolor/scalable/apps/portfolio-desk.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(app / "portfolio-desk.desktop")],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0 and not check.stdout.strip(), check.stdout


def test_the_bundle_holds_every_shipped_resource_where_the_app_looks(build):
    _, app = build
    bundled = app / "_internal" / "desktop" / "resources"
    for name in ("portfolio-desk.svg", "portfolio-desk.ico", "portfolio-desk.icns"):
        assert (bundled / name).read_bytes() == (RESOURCES / name).read_bytes()


def test_the_frozen_window_paints_and_exits_with_a_clean_stderr(build, portfolio):
    _, app = build
    result = _run(app, "--smoke-test", "--db", str(portfolio), QT_FATAL_WARNINGS="1")
    assert result.returncode == 0, result.stderr
    match = re.search(
        r"first paint: (\d+) ms; holdings shown: (\d+) ms \((\d+) holdings\)", result.stdout
    )
    assert match and match.group(3) == "1", result.stdout
    loaded = re.search(r"loaded at first paint: (.*) \(of ", result.stdout)
    assert loaded and loaded.group(1) == "none", result.stdout
    unexpected = [
        line
        for line in result.stderr.splitlines()
        if not any(p.search(line) for p in ALLOWED_SMOKE_STDERR)
    ]
    assert unexpected == [], result.stderr


def test_the_frozen_window_loads_its_svg_icon_from_the_bundle(build, portfolio):
    """The window's icon is the SVG: Qt's SVG icon engine (and QtSvg under it) must be in the
    bundle and load from there, not from a system Qt."""
    _, app = build
    result = _run(app, "--smoke-test", "--db", str(portfolio), QT_DEBUG_PLUGINS="1")
    assert result.returncode == 0, result.stderr[-3000:]
    plugin = app / "_internal" / "PySide6" / "Qt" / "plugins" / "iconengines" / "libqsvgicon.so"
    assert f'"{plugin}" loaded library' in result.stderr, result.stderr[-3000:]


def test_the_frozen_command_line_reports_and_draws_a_chart(build, portfolio, tmp_path):
    _, app = build
    period = ["--from", "2024-01-02", "--to", "2024-03-08"]  # the fixtures' common days
    report = _run(app, "report", "--json", *period, "--db", str(portfolio))
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert data["holdings"][0]["symbol"] == "COHU"
    assert data["portfolio"]["ttwror"] is not None and data["portfolio"]["irr"] is not None
    assert set(data["benchmarks"]) == {"^RUT", "^GSPC"}
    png = tmp_path / "performance.png"
    chart = _run(app, "chart", "performance", *period, "--db", str(portfolio), "--out", str(png))
    assert chart.returncode == 0, chart.stderr
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (1200, 700)
    assert report.stderr == ""
    offscreen = _offscreen_qt_notes()
    unexpected = [
        line
        for line in chart.stderr.splitlines()
        if not APP_NOTE.match(line) and not any(p.search(line) for p in offscreen)
    ]
    assert unexpected == [], chart.stderr


#: What the source imports: every module of the app, then the libraries the window loads after
#: its first paint (charts, prices, the store's writes), as each is imported for real.
_PROBE = """
import json, pathlib, sys
before = set(sys.modules)
root = pathlib.Path(sys.argv[1])
for path in sorted((root / "desktop").rglob("*.py")):
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__main__":
        continue  # it runs the app
    __import__(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
import numpy, pandas, pyqtgraph, pyxirr, sqlite_utils, yfinance, curl_cffi.requests
found = {}
for name, module in list(sys.modules.items()):
    spec = getattr(module, "__spec__", None)
    if name in before or spec is None or spec.origin in (None, "built-in", "frozen"):
        continue
    if spec.name != name or not pathlib.Path(spec.origin).is_file():
        continue  # an alias (requests.packages.urllib3), or shiboken's embedded loader
    found[name] = spec.origin
print(json.dumps(found))
"""


def test_every_module_the_source_imports_is_in_the_bundle(build):
    """The smoke test stops at the first paint; this covers what loads after it, such as the
    Qt modules pyqtgraph imports by name (the spec's HIDDEN_IMPORTS)."""
    from PyInstaller.archive.readers import pkg_archive_contents

    _, app = build
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(REPO)],
        cwd=REPO,
        env={**_clean_env(os.environ), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    imported: dict[str, str] = json.loads(probe.stdout)
    internal = app / "_internal"
    pure = set(pkg_archive_contents(str(app / "portfolio-desk")))
    with zipfile.ZipFile(internal / "base_library.zip") as base:
        for name in base.namelist():
            module = name.removesuffix(".pyc").replace("/", ".").removesuffix(".__init__")
            pure.add(module)
    files = {p.name for p in internal.rglob("*") if p.is_file()}
    excluded = _spec_excludes()
    missing = []
    for name, origin in sorted(imported.items()):
        if any(name == x or name.startswith(x + ".") for x in excluded):
            continue  # left out on purpose (the spec says why for each)
        if origin.endswith((".so", ".pyd", ".dylib")):
            if Path(origin).name not in files:
                missing.append(f"{name} ({Path(origin).name})")
        elif name not in pure:
            missing.append(name)
    assert missing == [], missing


def _spec_excludes() -> list[str]:
    """The spec's EXCLUDES list, read from the file (the spec runs only inside PyInstaller)."""
    tree = ast.parse((PACKAGING / "portfolio-desk.spec").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EXCLUDES":
            return ast.literal_eval(node.value)
    raise AssertionError("portfolio-desk.spec has no EXCLUDES list")


def test_install_sh_adds_the_menu_entry_for_the_user_and_removes_it(build, tmp_path):
    _, app = build
    home = tmp_path / "home"
    env = {**_clean_env(os.environ), "HOME": str(home), "XDG_DATA_HOME": str(home / "share")}
    run = subprocess.run(
        ["sh", str(app / "install.sh")], env=env, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    entry = home / "share/applications/portfolio-desk.desktop"
    assert f'Exec="{app / "portfolio-desk"}"' in entry.read_text()
    assert (home / "share/icons/hicolor/256x256/apps/portfolio-desk.png").is_file()
    assert (home / ".local/bin/portfolio-desk").resolve() == (app / "portfolio-desk").resolve()
    run = subprocess.run(
        ["sh", str(app / "install.sh"), "--uninstall"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert not entry.exists() and not (home / ".local/bin/portfolio-desk").exists()
    assert not list((home / "share/icons").rglob("portfolio-desk.*"))
