"""Put on PYTHONPATH for subprocesses started by the tests: blocks their network too."""

import sys
from pathlib import Path

# Last on the path: ``tests`` is found in the checkout, ``desktop`` wherever it is installed.
sys.path.append(str(Path(__file__).resolve().parents[2]))
from tests import netguard  # noqa: E402

netguard.install()
