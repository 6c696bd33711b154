"""Suite-wide set-up: no network, Qt offscreen, a private data folder, and store fixtures."""

from __future__ import annotations

import os
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest  # noqa: E402

from tests import netguard  # noqa: E402

netguard.install()

REPO = Path(__file__).resolve().parents[1]
#: Excerpts of the real price and factor files, and the recorded Yahoo answers, kept in the
#: repository so the suite runs from a clone alone (tests/fixtures/README.md says where each came
#: from and how it was cut).
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: The full files, beside the repository; only the few long-history tests that ask for
#: ``shared_data`` read them, and they skip when it is absent. ``PORTFOLIO_DESK_SHARED_DATA``
#: points elsewhere, e.g. ``PORTFOLIO_DESK_SHARED_DATA=/nonexistent`` to see what a bare clone runs.
SHARED_DATA = Path(os.environ.get("PORTFOLIO_DESK_SHARED_DATA") or REPO.parent / "shared" / "data")
SITECUSTOMIZE_DIR = Path(__file__).resolve().parent / "_sitecustomize"


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest):
    """Fail any test that tried to reach the network, even if the code under test caught it."""
    before = len(netguard.ATTEMPTS)
    yield
    attempts = netguard.ATTEMPTS[before:]
    if attempts and request.node.get_closest_marker("offline_ok") is None:
        pytest.fail(f"test tried to use the network: {attempts}", pytrace=False)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point the user data and cache folders at a temporary place, never the real ones."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))  # the log folder
    monkeypatch.delenv("PORTFOLIO_DESK_DB", raising=False)


def run_smoke_test(db: Path, env: dict[str, str], cwd: Path | None = None):
    """``python -m desktop --smoke-test --db DB`` in a subprocess: its CompletedProcess."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "desktop", "--smoke-test", "--db", str(db)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def printed_by(code: str, env: dict[str, str]) -> list[str]:
    """The lines ``python -c CODE`` printed in a fresh process (a probe of what a process does
    from its start); it must exit cleanly."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


@pytest.fixture
def fixtures() -> Path:
    """tests/fixtures: excerpts of the shared data files, always present."""
    return FIXTURES


@pytest.fixture
def shared_data() -> Path:
    """The full files in ../shared/data (or $PORTFOLIO_DESK_SHARED_DATA); skips without them."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is not there (the full shared data files)")
    return SHARED_DATA


@pytest.fixture
def store(tmp_path: Path):
    from desktop.data.store import Store

    s = Store(tmp_path / "portfolio.sqlite")
    yield s
    s.close()


@pytest.fixture
def subprocess_env(tmp_path: Path) -> dict[str, str]:
    """Environment for a subprocess of the app: offscreen, no network, private folders."""
    env = dict(os.environ)
    # Only the network guard: the app itself is imported as installed (editable or not), so a
    # subprocess started outside the checkout runs what a user's install runs.
    env["PYTHONPATH"] = str(SITECUSTOMIZE_DIR)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env
