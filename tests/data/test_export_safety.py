"""Exports never lose data: the database is never a target, a failed write leaves the old file
whole, and a spreadsheet never runs a cell as a formula (which reads back as it was)."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal as D

import pytest

from desktop.app import main
from desktop.core.model import Trade, TradeType
from desktop.data.formats.atomic_file import write_atomically
from desktop.data.store import Store

HOSTILE = [
    '=HYPERLINK("http://x","click")',
    "+1+1",
    "-2",
    "@SUM(A1:A2)",
    "'already quoted",
    "'=still a formula",
    "plain, with a comma",
]


def run(capsys, *argv):
    code = main(list(argv))
    return code, *capsys.readouterr()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "p.sqlite"
    with Store(path) as store:
        for i, note in enumerate(HOSTILE):
            trade = Trade(dt.date(2024, 1, 2 + i), TradeType.BUY, "COHU", D(1), D(10), note=note)
            assert store.add_trade(trade)[1] == []
    return path


def test_the_database_itself_is_refused_as_an_export_target(capsys, db):
    before = db.read_bytes()
    for target in (db, db.with_name(db.name + "-wal")):
        code, _, err = run(capsys, "export", "trades", str(target), "--db", str(db))
        assert code == 2 and "is the database itself" in err
    assert db.read_bytes() == before
    with Store(db) as store:
        assert len(store.trades()) == len(HOSTILE)


def test_a_failed_write_leaves_the_old_file_whole_and_no_partial_one(tmp_path):
    target = tmp_path / "ledger.csv"
    target.write_text("the old ledger\n")

    def fails_midway(partial):
        partial.write_text("half a led")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomically(target, fails_midway)
    assert target.read_text() == "the old ledger\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.csv"]
    write_atomically(target, lambda partial: partial.write_text("the new ledger\n"))
    assert target.read_text() == "the new ledger\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.csv"]


def test_formula_cells_are_neutralised_and_read_back_exactly(capsys, db, tmp_path):
    out = tmp_path / "ledger.csv"
    assert run(capsys, "export", "trades", str(out), "--db", str(db))[0] == 0
    with open(out, newline="", encoding="utf-8") as handle:
        notes = [row[-1] for row in csv.reader(handle)][1:]
    # No cell a spreadsheet would evaluate: each starts with an apostrophe or a plain letter.
    assert all(not n.startswith(("=", "+", "-", "@")) for n in notes)
    assert notes[:4] == [f"'{n}" for n in HOSTILE[:4]]
    again = tmp_path / "again.sqlite"
    code, _, err = run(capsys, "import", "trades", str(out), "--db", str(again))
    assert code == 0, err
    with Store(again) as store:
        assert [t.note for t in store.trades()] == HOSTILE


def test_a_link_to_the_database_is_refused_and_a_link_to_a_file_is_kept(capsys, db, tmp_path):
    before = db.read_bytes()
    alias = tmp_path / "alias.csv"
    alias.symlink_to(db)
    code, _, err = run(capsys, "export", "trades", str(alias), "--db", str(db))
    assert code == 2 and "is the database itself" in err
    assert db.read_bytes() == before and alias.is_symlink()

    real = tmp_path / "exports" / "ledger.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    assert run(capsys, "export", "trades", str(link), "--db", str(db))[0] == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text().startswith("date,type,symbol")  # the file the link names
