"""Yahoo Finance through yfinance: the only package that imports yfinance, and lazily.

- ``client``: ``YahooClient``, the one owner of yfinance's process-wide state;
- ``source``: ``YahooSource``, prices, fundamentals and search as the source protocols ask;
- ``rows`` and ``info``: reading yfinance's frames and dicts into rows and core types.
"""
