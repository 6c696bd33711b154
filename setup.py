"""Which packages to install: every package under ``desktop/``, found, plus the top-level
``resources/`` folder installed as ``desktop.resources``. Everything else is in pyproject.toml;
its ``packages.find`` cannot add a package mapped from outside the tree it searches."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["desktop", "desktop.*"]), "desktop.resources"])
