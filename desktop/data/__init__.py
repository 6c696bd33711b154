"""Storage and market data: the SQLite store, migrations, price sources and importers."""
