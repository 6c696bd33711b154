"""File formats the user brings or takes away: price CSVs (Yahoo's, yfinance's) and trade CSVs."""
