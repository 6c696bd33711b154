"""``portfolio-desk chart NAME --out FILE``: the CSV holds the chart's frame, the PNG is drawn,
bad input is refused naming the field, and a CSV never loads Qt."""

import csv
import datetime as dt
import struct
import subprocess
import sys
from decimal import Decimal as D

import pytest

from desktop.app import main
from desktop.core.model import Trade, TradeType
from desktop.data.store import Store

DAYS = [dt.date(2024, 1, d) for d in (2, 3, 4, 5, 8)]


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "p.sqlite"
    with Store(path) as store:
        for symbol, closes in (("A", [10, 11, 12, 9, 10]), ("^RUT", [100, 110, 99, 99, 121])):
            rows = [{"date": d, "close": c} for d, c in zip(DAYS, closes, strict=True)]
            store.upsert_prices(symbol, rows, "csv")
        store.add_trade(Trade(DAYS[0], TradeType.BUY, "A", D(10), D(10), D(0)))
        store.add_trade(Trade(DAYS[2], TradeType.BUY, "A", D(10), D(12), D(0)))
    return str(path)


def chart(capsys, db, *argv):
    code = main(["--db", db, "chart", *argv])
    return code, *capsys.readouterr()


def read(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_the_performance_csv_by_hand(capsys, db, tmp_path):
    out = tmp_path / "perf.csv"
    code, stdout, err = chart(capsys, db, "performance", "--benchmark", "^RUT", "--out", str(out))
    assert code == 0 and f"wrote {out}" in stdout
    rows = read(out)
    assert rows[0] == ["date", "portfolio", "^RUT"]
    assert [r[0] for r in rows[1:]] == [d.isoformat() for d in DAYS]
    # 100 -> 110 -> (240 for 230 at work) -> 180 -> 200; ^RUT 100 -> 121.
    growth = [1.0, 1.1, 1.1 * 240 / 230, 1.1 * 240 / 230 * 0.75, 1.1 * 240 / 230 * 0.75 * 200 / 180]
    assert [float(r[1]) for r in rows[1:]] == pytest.approx([g - 1 for g in growth])
    assert [float(r[2]) for r in rows[1:]] == pytest.approx([0, 0.1, -0.01, -0.01, 0.21])
    assert not list(tmp_path.glob(".*partial*"))  # written aside, then renamed into place


def test_the_csv_holds_the_same_numbers_as_the_report(capsys, db, tmp_path):
    import json

    out = tmp_path / "perf.csv"
    assert chart(capsys, db, "performance", "--period", "Max", "--out", str(out))[0] == 0
    last = float(read(out)[-1][1])
    main(["--db", db, "report", "--json", "--period", "Max"])
    reported = json.loads(capsys.readouterr().out)["portfolio"]["ttwror"]
    assert last == reported  # to the last digit: the same snapshot, written at full precision


def test_a_benchmark_without_closes_is_blank_and_said(capsys, db, tmp_path):
    out = tmp_path / "perf.csv"
    code, _, err = chart(capsys, db, "performance", "--out", str(out))  # ^RUT and ^GSPC
    assert code == 0 and "no cached closes for ^GSPC: no data" in err
    code, _, err = chart(capsys, db, "performance", "--to", "2024-01-31", "--out", str(out))
    assert "prices end 2024-01-08, before the period does (2024-01-31)" in err
    rows = read(out)
    assert rows[0] == ["date", "portfolio", "^RUT", "^GSPC"]
    assert all(r[3] == "" for r in rows[1:])  # blank, never 0


def test_rolling_three_years_is_exported_blank_until_three_years_exist(capsys, db, tmp_path):
    out = tmp_path / "rolling.csv"
    code, _, err = chart(capsys, db, "rolling-3y", "--benchmark", "^RUT", "--out", str(out))
    assert code == 0, err
    rows = read(out)
    assert rows[0] == ["date", "portfolio", "^RUT"]
    assert len(rows) == 1 + len(DAYS) and all(r[1:] == ["", ""] for r in rows[1:])


def test_heatmap_and_contribution_csvs_have_no_index_column(capsys, db, tmp_path):
    heat, parts = tmp_path / "heat.csv", tmp_path / "parts.csv"
    assert chart(capsys, db, "heatmap", "--benchmark", "^RUT", "--out", str(heat))[0] == 0
    assert chart(capsys, db, "contribution", "--out", str(parts))[0] == 0
    rows = read(heat)
    assert rows[0] == ["year", "month", "series", "return"]
    assert {(r[1], r[2]) for r in rows[1:]} == {
        ("1", "portfolio"),
        ("total", "portfolio"),
        ("1", "excess:^RUT"),
        ("total", "excess:^RUT"),
    }
    (header, (symbol, value)) = read(parts)
    assert header == ["symbol", "contribution"] and symbol == "A"
    assert float(value) == pytest.approx(1.1 * 240 / 230 * 0.75 * 200 / 180 - 1)


def test_a_png_is_drawn_at_its_size(capsys, db, tmp_path):
    for name in ("performance", "heatmap", "contribution", "value"):
        out = tmp_path / f"{name}.png"
        code, _, err = chart(capsys, db, name, "--benchmark", "^RUT", "--out", str(out))
        assert code == 0, err
        head = out.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", head[16:24])
        assert (width, height) == (1200, 700)


def _pixels_near(path, colour: str, within: int = 24) -> int:
    """How many pixels of the PNG are within ``within`` of ``colour`` in each channel."""
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    target = QColor(colour)
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if all(
                abs(a - b) <= within
                for a, b in zip(c.getRgb()[:3], target.getRgb()[:3], strict=True)
            ):
                count += 1
    return count


def test_the_png_is_the_window_s_own_chart_in_its_colours(capsys, db, tmp_path, qapp):
    """The returns chart draws the portfolio in its blue and the Russell 2000 in its orange;
    the why bars in the palette's gain tone (the picture is the window's widget)."""
    from desktop.ui.chart import series_colour
    from desktop.ui.palette import tones
    from desktop.ui.performance import PORTFOLIO, benchmark_label

    out = tmp_path / "performance.png"
    assert chart(capsys, db, "performance", "--benchmark", "^RUT", "--out", str(out))[0] == 0
    assert _pixels_near(out, series_colour(PORTFOLIO)[0]) > 200
    assert _pixels_near(out, series_colour(benchmark_label("^RUT"))[0]) > 20
    out = tmp_path / "contribution.png"
    assert chart(capsys, db, "contribution", "--out", str(out))[0] == 0
    gain, loss = (tones(qapp.palette())[t] for t in ("gain", "loss"))
    # A's contribution is the whole return: 1.1 * 240/230 * 0.75 * 200/180 - 1 < 0, a loss.
    assert _pixels_near(out, loss, 8) > 2000 and _pixels_near(out, gain, 8) == 0


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["pie", "--out", "x.csv"], "chart"),
        (["performance", "--out", "x.txt"], "out"),
        (["performance", "--period", "2W", "--out", "x.csv"], "period"),
        (["performance", "--from", "2024-13-01", "--out", "x.csv"], "from"),
        (["performance", "--benchmark", "NOT A SYMBOL", "--out", "x.csv"], "symbol"),
    ],
)
def test_bad_input_is_refused_naming_the_field(capsys, db, tmp_path, argv, field):
    folder = tmp_path / "out"
    folder.mkdir()
    argv = [a if not a.startswith("x.") else str(folder / a) for a in argv]
    code, _, err = chart(capsys, db, *argv)
    assert code == 2 and f"invalid {field}" in err
    assert list(folder.iterdir()) == []  # nothing written


def test_the_database_itself_is_never_a_target(capsys, tmp_path):
    db = tmp_path / "ledger.csv"  # a database named like a CSV file
    Store(db).close()
    before = db.read_bytes()
    code, _, err = chart(capsys, str(db), "performance", "--out", str(db))
    assert code == 2 and "is the database itself" in err
    assert db.read_bytes() == before


def test_a_csv_chart_never_imports_qt(db, tmp_path, subprocess_env):
    out = tmp_path / "perf.csv"
    code = (
        "import sys; from desktop.app import main; "
        f"main(['--db', {db!r}, 'chart', 'drawdown', '--out', {str(out)!r}]); "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert read(out)[0] == ["date", "portfolio", "^RUT", "^GSPC"]
