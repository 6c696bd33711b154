"""``portfolio-desk chart instrument --symbol SYM --out FILE``: the CSV holds the closes, volumes
and price return from the store and the indices rebased on the same days, checked against the
real files read here with the csv module; the PNG is the window's charts; bad input refused."""

from __future__ import annotations

import csv
import datetime as dt
import struct

import pytest

from desktop.app import main
from tests.conftest import FIXTURES


def _rows(name: str) -> dict[dt.date, dict[str, str]]:
    with open(FIXTURES / name, newline="") as f:
        rows = list(csv.DictReader(f))
    date = next(k for k in rows[0] if k.lower() == "date")
    return {dt.date.fromisoformat(r[date]): {k.lower(): v for k, v in r.items()} for r in rows}


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path, capsys):
    path = str(tmp_path / "p.sqlite")
    for name, symbol in (
        ("SUM_yahoo_2023-2024.csv", "SUM"),
        ("RUT_daily_2023-2024.csv", "^RUT"),
        ("GSPC_daily_2023-2024.csv", "^GSPC"),
    ):
        code, _, err = _run(
            capsys, "--db", path, "import", "prices", str(FIXTURES / name), "--symbol", symbol
        )
        assert code == 0, err
    add = ["--db", path, "trade", "add", "--symbol", "SUM", "--price", "36", "--type", "buy"]
    assert _run(capsys, *add, "--date", "2024-01-16", "--quantity", "10")[0] == 0
    return path


def test_the_csv_holds_the_instrument_and_the_indices_from_the_same_base_close(
    capsys, db, tmp_path
):
    out = tmp_path / "sum.csv"
    code, stdout, err = _run(
        capsys, "--db", db, "chart", "instrument", "--symbol", "sum",
        "--from", "2024-01-02", "--to", "2024-02-29", "--out", str(out),
    )  # fmt: skip
    assert code == 0 and stdout == f"wrote {out}\n", err
    with open(out, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["date", "close", "volume", "return", "^RUT", "^GSPC"]
    sum_, rut, gspc = (
        _rows(n)
        for n in ("SUM_yahoo_2023-2024.csv", "RUT_daily_2023-2024.csv", "GSPC_daily_2023-2024.csv")
    )  # noqa: E501
    days = [d for d in sum_ if dt.date(2023, 12, 29) <= d <= dt.date(2024, 2, 29)]
    assert [r[0] for r in rows[1:]] == [d.isoformat() for d in days]
    base = float(sum_[days[0]]["close"])
    for row, day in zip(rows[1:], days, strict=True):
        assert float(row[1]) == pytest.approx(float(sum_[day]["close"]))
        assert float(row[2]) == float(sum_[day]["volume"])
        assert float(row[3]) == pytest.approx(float(sum_[day]["close"]) / base - 1)
        for column, index in ((4, rut), (5, gspc)):
            at = max(d for d in index if d <= day)
            first = max(d for d in index if d <= days[0])
            expected = float(index[at]["close"]) / float(index[first]["close"]) - 1
            assert float(row[column]) == pytest.approx(expected)


def test_the_png_is_the_window_s_charts_in_its_colours(capsys, db, tmp_path):
    from PySide6.QtGui import QColor, QImage

    out = tmp_path / "sum.png"
    code, _, err = _run(
        capsys, "--db", db, "chart", "instrument", "--symbol", "SUM",
        "--from", "2024-01-02", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 700)
    image = QImage(str(out))
    from desktop.ui.instrument_chart import INSTRUMENT_COLOUR

    wanted = QColor(INSTRUMENT_COLOUR).rgb()
    hits = sum(image.pixel(x, y) == wanted for x in range(0, 1200, 3) for y in range(0, 700, 3))
    assert hits > 50  # the line and the mountain's edge, drawn


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        ([], "invalid symbol: give the instrument: --symbol SYM"),
        (["--symbol", "NOPE"], "no closes are cached for NOPE: refresh prices, or import"),
        (["--symbol", "SUM", "--period", "2W"], "invalid period: '2W' is not one of"),
        (["--symbol", "S UM"], "invalid symbol"),
    ],
)
def test_bad_input_is_refused_in_one_line_naming_the_field(capsys, db, tmp_path, argv, said):
    out = tmp_path / "x.csv"
    code, _, err = _run(capsys, "--db", db, "chart", "instrument", *argv, "--out", str(out))
    assert code in (1, 2) and said in err and "Traceback" not in err
    assert not out.exists()


def test_symbol_is_refused_for_the_portfolio_s_charts(capsys, db, tmp_path):
    out = tmp_path / "x.csv"
    code, _, err = _run(
        capsys, "--db", db, "chart", "performance", "--symbol", "SUM", "--out", str(out)
    )
    assert code == 2 and "--symbol is for `chart instrument` only" in err
