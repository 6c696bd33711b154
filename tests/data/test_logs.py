"""The window's log: kept in memory until the file opens, rotated, fatal errors in a file."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__
from desktop.data import logs


@pytest.fixture
def app_log():
    """A log as the window's start installs it, without faulthandler (pytest's stays on)."""
    made = logs.AppLog()
    made.install(faults=False)
    yield made
    made.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")
def test_the_log_folder_is_the_state_folder_which_the_tests_redirect():
    state = Path(os.environ["XDG_STATE_HOME"])
    assert logs.log_dir() == state / "PortfolioDesk" / "log"
    assert "pytest" in str(state)  # a temporary folder, never the user's


def test_records_before_the_file_opens_are_written_to_it_in_order(app_log, tmp_path):
    log = logging.getLogger("desktop.some.module")
    log.info("before the first paint")
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        log.exception("failed early")
    assert not (tmp_path / logs.LOG_FILE_NAME).exists()  # nothing written before it opens
    path = app_log.open_files(tmp_path, fatal=False)
    assert path == tmp_path / logs.LOG_FILE_NAME
    log.warning("after it")
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if " desktop.some.module " in line]
    assert [line.split(" [MainThread] ")[1] for line in lines] == [
        "before the first paint",
        "failed early",
        "after it",
    ]
    assert "ZeroDivisionError: division by zero" in text
    assert " INFO desktop.some.module [MainThread] before the first paint" in text
    assert app_log.open_files(tmp_path / "elsewhere") == path  # once


def test_a_librarys_info_is_left_out_its_warnings_kept(app_log, tmp_path):
    path = app_log.open_files(tmp_path, fatal=False)
    logging.getLogger("somelibrary").info("chatter")
    logging.getLogger("somelibrary").warning("worth knowing")
    text = path.read_text(encoding="utf-8")
    assert "chatter" not in text and "WARNING somelibrary [MainThread] worth knowing" in text


def test_the_log_rotates_and_keeps_its_old_files(app_log, tmp_path):
    path = app_log.open_files(tmp_path, max_bytes=2000, backups=2, fatal=False)
    log = logging.getLogger("desktop.test")
    for i in range(200):
        log.info("line %03d %s", i, "x" * 40)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [logs.LOG_FILE_NAME, f"{logs.LOG_FILE_NAME}.1", f"{logs.LOG_FILE_NAME}.2"]
    for p in tmp_path.iterdir():
        assert 0 < p.stat().st_size <= 2000
    assert "line 199" in path.read_text(encoding="utf-8")  # the newest in the current file
    assert "line 000" not in "".join(p.read_text() for p in tmp_path.iterdir())  # dropped


def test_a_folder_that_cannot_be_written_leaves_the_records_on_stderr(app_log, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert app_log.open_files(blocker / "log", fatal=False) is None
    assert app_log.path is None and "could not be written" in app_log.problem
    logging.getLogger("desktop.test").error("still said")  # no exception: the app goes on


def test_a_fatal_error_is_written_to_the_fatal_errors_file(tmp_path, subprocess_env):
    code = (
        "import sys; from pathlib import Path; from desktop.data import logs; "
        "log = logs.start(); log.open_files(Path(sys.argv[1])); "
        "import faulthandler; faulthandler._sigsegv()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        env=subprocess_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    text = (tmp_path / logs.FATAL_FILE_NAME).read_text(encoding="utf-8")
    assert text.startswith("--- process ")
    assert "Fatal Python error: Segmentation fault" in text
    assert 'File "<string>", line 1 in <module>' in text
    assert "Fatal Python error" not in result.stderr  # the file has it, stderr no longer


def test_the_windows_start_writes_its_log_in_the_log_folder(tmp_path, subprocess_env):
    db = tmp_path / "p.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--smoke-test", "--db", str(db)],
        env=subprocess_env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    folder = logs.log_dir()  # the subprocess sees the same redirected folders
    text = (folder / logs.LOG_FILE_NAME).read_text(encoding="utf-8")
    assert f"INFO desktop [MainThread] Portfolio Desk {__version__} on" in text
    assert "PySide6 " in text and "Qt " in text
    assert (folder / logs.FATAL_FILE_NAME).read_text().startswith("--- process ")
