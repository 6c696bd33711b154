"""Where Portfolio Desk keeps its files: the platform's user data and cache folders."""

from __future__ import annotations

import os
from pathlib import Path

APP_DIR_NAME = "PortfolioDesk"
DB_ENV_VAR = "PORTFOLIO_DESK_DB"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False))


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_DIR_NAME, appauthor=False))


def default_db_path() -> Path:
    """``$PORTFOLIO_DESK_DB`` if set, else ``portfolio.sqlite`` in the user data folder."""
    env = os.environ.get(DB_ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return data_dir() / "portfolio.sqlite"


def demo_db_path() -> Path:
    """The demo portfolio lives in its own file, never mixed with the user's."""
    return data_dir() / "demo.sqlite"
