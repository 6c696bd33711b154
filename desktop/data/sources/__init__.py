"""Where market data comes from: the protocols every source implements (``protocol``), Yahoo
Finance (the ``yahoo`` package, the only code that imports yfinance), a folder of CSV files
(``csv_folder``), Ken French's factor files (``french``) and the symbol-search cache."""
