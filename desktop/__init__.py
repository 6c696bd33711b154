"""Portfolio Desk: a desktop portfolio tracker that answers one question: am I beating the index?

The package is layered: ``core`` is the pure domain (no Qt, no I/O), ``data`` owns storage and
market data, ``ui`` is the thin Qt layer, and ``app`` wires them together.
"""

__version__ = "0.1.0"
APP_NAME = "Portfolio Desk"
