"""A CSV file read strictly into its header and rows, each row with the line it starts on.

Strict: a quote left open (which would take every later row into one field), a stray quote,
a NUL byte or a field over the csv module's limit is refused with its line, never read on.
A header naming a column twice is refused (which one is meant?). An Interactive Brokers
statement holds many tables in one file, each row starting with its section's name and
``Header`` or ``Data``: given a section, only that section's rows are read, under the latest
``Header`` row before them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.core.model import Problem

#: How far down a file its header may be (a title line or two above it, as some brokers write).
HEADER_SEARCH_LINES = 10


@dataclass
class Block:
    """One table: its header (as written), the line it is on, and its rows ``(line, values)``."""

    header: list[str]
    line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def names(self) -> list[str]:
        """The header's names as matched: trimmed, lower-case."""
        return [h.strip().lower() for h in self.header]


def read_text(path: str | Path) -> tuple[str | None, Problem | None]:
    """A file's text (UTF-8, a byte-order mark dropped), or why it cannot be read."""
    try:
        return Path(path).read_bytes().decode("utf-8-sig"), None
    except FileNotFoundError:
        return None, Problem("file", f"{path} does not exist")
    except IsADirectoryError:
        return None, Problem("file", f"{path} is a folder, not a file")
    except (OSError, UnicodeDecodeError) as exc:
        return None, Problem("file", f"{path} cannot be read as a UTF-8 text file ({exc})")


def _lines(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], Problem | None]:
    """Every non-blank row with the line it starts on, or the first row that is not CSV."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    while True:
        starts = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return rows, None
        except csv.Error as exc:
            if "end of data" in str(exc):
                return rows, Problem("file", f"line {starts} opens a quote that is never closed")
            return rows, Problem("file", f"line {reader.line_num} is not valid CSV: {exc}")
        if any(v.strip() for v in values):
            rows.append((starts, values))


def _twice(block: Block) -> Problem | None:
    names = block.names()
    twice = sorted({n for n in names if n and names.count(n) > 1})
    if not twice:
        return None
    where = ", ".join(
        f"{n} (columns {' and '.join(str(i + 1) for i, m in enumerate(names) if m == n)})"
        for n in twice
    )
    return Problem("file", f"the header names {where} more than once: which is meant?")


def read_blocks(
    text: str,
    *,
    delimiter: str = ",",
    section: str = "",
    is_header: Callable[[list[str]], bool] = lambda names: True,
    no_header: Callable[[list[str]], str] = lambda names: "no row near the top names the columns",
) -> tuple[list[Block], Problem | None]:
    """The file's tables: one, under the first row among the first ``HEADER_SEARCH_LINES``
    that ``is_header`` accepts (given its lower-case names); or, with ``section``, one per
    ``Header`` row of that section. A file-level problem ends the reading; without a header,
    ``no_header`` says why, given the first row's names."""
    rows, problem = _lines(text, delimiter)
    if problem:
        return [], problem
    if not rows:
        return [], Problem("file", "the file is empty")
    blocks: list[Block] = []
    if section:
        wanted = section.strip().lower()
        for line, values in rows:
            if len(values) < 2 or values[0].strip().lower() != wanted:
                continue
            kind = values[1].strip().lower()
            if kind == "header":
                blocks.append(Block(values[2:], line))
            elif kind == "data" and blocks:
                blocks[-1].rows.append((line, values[2:]))
        if not blocks:
            return [], Problem("file", f"the file has no {section} section (a 'Header' row)")
    else:
        for i, (line, values) in enumerate(rows[:HEADER_SEARCH_LINES]):
            if is_header([v.strip().lower() for v in values]):
                blocks.append(Block(values, line, rows[i + 1 :]))
                break
        else:
            return [], Problem("file", no_header([v.strip().lower() for v in rows[0][1]]))
    for block in blocks:
        problem = _twice(block)
        if problem:
            return [], problem
    return blocks, None
