"""The frozen app's entry script: PyInstaller runs this file as ``__main__`` in the bundle.

It is ``python -m desktop`` (``desktop/__main__.py``) written outside the package, so that the
bundle imports ``desktop`` as the package it is; the command line and the window both start
here, as they do from the ``portfolio-desk`` command of an install.
"""

import sys

from desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
