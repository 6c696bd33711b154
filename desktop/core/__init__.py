"""The pure domain: trades, lots, holdings, valuation and returns. No Qt, no I/O."""
