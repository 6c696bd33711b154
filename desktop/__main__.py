"""``python -m desktop``: the same entry point as the ``portfolio-desk`` command."""

import sys

from desktop.app import main

sys.exit(main())
