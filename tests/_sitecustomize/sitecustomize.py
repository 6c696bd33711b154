"""Put on PYTHONPATH for subprocesses started by the tests: blocks their network too."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests import netguard  # noqa: E402

netguard.install()
