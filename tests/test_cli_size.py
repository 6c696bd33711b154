"""`import factors`, `report --factors`'s `size_premium` and `chart size` on the command line.

The factor files are the excerpts in tests/fixtures (monthly 201801..202408, daily
20180102..20240830); the prices are the ^RUT and ^GSPC excerpts, loaded with ``import prices``.
Expected numbers come from the files' text (csv module, string operations, ``math.prod``), not
from the code under test.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
import math
import struct
import zipfile

import pytest

from desktop.app import main
from desktop.data.factor_data import french_cache
from desktop.data.sources.french import FrenchFactors

DAILY = "F-F_Research_Data_Factors_daily.CSV"
MONTHLY = "F-F_Research_Data_Factors.CSV"
RUT = "RUT_daily_1987-2025.csv"
GSPC = "GSPC_daily_1987-2026.csv"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cache_file(frequency: str):
    return FrenchFactors(french_cache()).cache_path(frequency)


def raw_smb(path) -> list[float]:
    """SMB of every six-digit (monthly) row, as a fraction, from the text."""
    rows = []
    for line in path.read_text().splitlines():
        cells = [c.strip() for c in line.split(",")]
        if len(cells[0]) == 6 and cells[0].isdigit():
            rows.append(float(cells[2]) / 100)
    return rows


@pytest.fixture
def db(tmp_path, capsys, fixtures):
    """A database holding the ^RUT and ^GSPC excerpts, imported as a user would."""
    path = str(tmp_path / "p.sqlite")
    for name, symbol in ((RUT, "^RUT"), (GSPC, "^GSPC")):
        assert (
            run(capsys, "--db", path, "import", "prices", str(fixtures / name), "--symbol", symbol)[
                0
            ]
            == 0
        )
    return path


# -- import factors -------------------------------------------------------------------------------
def test_a_monthly_csv_is_kept_where_the_refresh_keeps_its_download(capsys, fixtures, tmp_path):
    never = tmp_path / "none.sqlite"
    code, out, err = run(capsys, "--db", str(never), "import", "factors", str(fixtures / MONTHLY))
    assert code == 0, err
    assert "monthly factors (vintage 202408, 80 months to 2024-08)" in out
    assert str(cache_file("monthly")) in out
    assert not never.exists()  # the factor cache is the user's: no database was made
    # Read back as the report reads it: offline, from the same file a download would be.
    frame, _ = FrenchFactors(french_cache(), opener=_offline).monthly()
    assert frame is not None and len(frame) == 80


def _offline(url, timeout):
    raise OSError("offline")


def test_a_daily_zip_is_kept_byte_for_byte(capsys, fixtures, tmp_path):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DAILY, (fixtures / DAILY).read_bytes())
    source = tmp_path / "F-F_Research_Data_Factors_daily_CSV.zip"
    source.write_bytes(packed.getvalue())
    code, out, err = run(capsys, "import", "factors", str(source))
    assert code == 0, err
    assert "daily factors (vintage 202408, 1,677 days to 2024-08-30)" in out
    assert cache_file("daily").read_bytes() == packed.getvalue()


@pytest.mark.parametrize(
    ("name", "body", "reason"),
    [
        ("prices.csv", None, "no column row ',Mkt-RF,SMB,HML,RF' found"),
        ("cut.zip", b"PK\x03\x04 half a zip", "not a readable zip archive"),
        ("bad.CSV", b",Mkt-RF,SMB,HML,RF\r\n201801, 5.57, x, -1.28, 0.12\r\n", "line 2"),
    ],
)
def test_a_file_that_does_not_parse_is_refused_and_nothing_changes(
    capsys, fixtures, tmp_path, name, body, reason
):
    assert run(capsys, "import", "factors", str(fixtures / MONTHLY))[0] == 0
    before = cache_file("monthly").read_bytes()
    bad = tmp_path / name
    bad.write_bytes(body if body is not None else (fixtures / RUT).read_bytes())
    code, out, err = run(capsys, "import", "factors", str(bad))
    assert code == 2 and reason in err and str(bad) in err and out == ""
    assert len(err.strip().splitlines()) == 1
    assert cache_file("monthly").read_bytes() == before
    assert [p.name for p in french_cache().iterdir()] == [cache_file("monthly").name]


def test_a_missing_file_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "import", "factors", str(tmp_path / "nowhere.csv"))
    assert code == 2 and "cannot read" in err
    assert not french_cache().exists()


# -- report --factors: size_premium ---------------------------------------------------------------
def test_the_report_gives_the_size_premium_of_the_imported_file(capsys, db, fixtures):
    assert run(capsys, "import", "factors", str(fixtures / MONTHLY))[0] == 0
    code, out, err = run(capsys, "--db", db, "report", "--json", "--factors")
    assert code == 0, err
    premium = json.loads(out)["size_premium"]
    smb = raw_smb(fixtures / MONTHLY)
    assert len(smb) == 80
    assert premium["source"] == "Fama-French 202408" and premium["vintage"] == "202408"
    assert (premium["first_month"], premium["last_month"], premium["months"]) == (
        "2018-01",
        "2024-08",
        80,
    )
    geometric = math.prod(1 + s for s in smb) ** (12 / 80) - 1
    assert premium["annualized_geometric"] == pytest.approx(geometric, rel=1e-12)
    assert premium["annualized_arithmetic"] == pytest.approx(sum(smb) / 80 * 12, rel=1e-12)
    assert premium["last_10y_geometric"] is None  # 80 months: no ten years in the excerpt
    assert "size_premium" not in err


def test_without_a_monthly_file_the_size_premium_is_null_with_a_note(capsys, db):
    code, out, err = run(capsys, "--db", db, "report", "--json", "--factors")
    assert code == 0
    assert json.loads(out)["size_premium"] is None
    assert "size_premium is null" in err and "import factors" in err


def test_without_factors_the_report_has_no_size_premium(capsys, db):
    assert "size_premium" not in json.loads(run(capsys, "--db", db, "report", "--json")[1])


# -- chart size -----------------------------------------------------------------------------------
def closes(path, date_column, close_column) -> dict[str, float]:
    with open(path, newline="") as f:
        return {row[date_column]: float(row[close_column]) for row in csv.DictReader(f)}


def expected_rows(fixtures) -> list[tuple[str, float, float | None]]:
    """(date, ^RUT / ^GSPC, 12-month excess or None) on the common dates, by a loop."""
    rut, gspc = closes(fixtures / RUT, "Date", "Close"), closes(fixtures / GSPC, "date", "close")
    common = sorted(set(rut) & set(gspc))
    rows = []
    for day in common:
        back = (dt.date.fromisoformat(day) - dt.timedelta(days=365)).isoformat()
        at = bisect.bisect_right(common, back) - 1
        excess = None
        if at >= 0:
            then = common[at]
            excess = (rut[day] / rut[then] - 1) - (gspc[day] / gspc[then] - 1)
        rows.append((day, rut[day] / gspc[day], excess))
    return rows


def read_csv(path) -> list[list[str]]:
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_the_size_csv_holds_the_ratio_and_the_excess(capsys, db, fixtures, tmp_path):
    out = tmp_path / "size.csv"
    code, stdout, err = run(capsys, "--db", db, "chart", "size", "--out", str(out))
    assert code == 0, err
    assert f"wrote {out}" in stdout
    header, *rows = read_csv(out)
    assert header == ["date", "ratio", "excess_12m"]
    expected = expected_rows(fixtures)
    assert [r[0] for r in rows] == [e[0] for e in expected]
    assert [float(r[1]) for r in rows] == pytest.approx([e[1] for e in expected], rel=1e-15)
    for (_, _, excess), (_, _, want) in zip(rows, expected, strict=True):
        if want is None:
            assert excess == ""  # blank until a year of common history exists, never 0
        else:
            assert float(excess) == pytest.approx(want, rel=1e-12)
    assert rows[0][0] == "1987-10-01" and rows[0][2] == ""
    assert not list(tmp_path.glob(".*partial*"))


def test_the_period_picks_the_rows_and_the_excess_still_looks_back(capsys, db, fixtures, tmp_path):
    out = tmp_path / "size.csv"
    argv = ["--db", db, "chart", "size", "--from", "2024-12-02", "--to", "2024-12-31"]
    assert run(capsys, *argv, "--out", str(out))[0] == 0
    _, *rows = read_csv(out)
    expected = [e for e in expected_rows(fixtures) if "2024-12-02" <= e[0] <= "2024-12-31"]
    assert [r[0] for r in rows] == [e[0] for e in expected] and len(rows) == 21
    assert [float(r[2]) for r in rows] == pytest.approx([e[2] for e in expected], rel=1e-12)


@pytest.mark.parametrize("missing", ["^GSPC", "^RUT"])
def test_a_missing_index_is_refused_naming_it(capsys, tmp_path, fixtures, missing):
    path = str(tmp_path / "one.sqlite")
    kept, name = ("^RUT", RUT) if missing == "^GSPC" else ("^GSPC", GSPC)
    assert (
        run(capsys, "--db", path, "import", "prices", str(fixtures / name), "--symbol", kept)[0]
        == 0
    )
    out = tmp_path / "size.csv"
    code, stdout, err = run(capsys, "--db", path, "chart", "size", "--out", str(out))
    assert code == 1 and stdout == ""
    (line,) = err.strip().splitlines()
    assert f"no cached closes for {missing}" in line
    assert "refresh" in line and f"import prices FILE --symbol {missing}" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("option", "field"),
    [(["--benchmark", "IWM"], "benchmark"), (["--total-return"], "total-return")],
)
def test_options_of_the_other_charts_are_refused(capsys, db, tmp_path, option, field):
    out = tmp_path / "size.csv"
    code, _, err = run(capsys, "--db", db, "chart", "size", *option, "--out", str(out))
    assert code == 2 and f"invalid {field}" in err and not out.exists()


def _pixels_near(path, colour: str, within: int = 24) -> int:
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    target = QColor(colour).getRgb()[:3]
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            rgb = image.pixelColor(x, y).getRgb()[:3]
            count += all(abs(a - b) <= within for a, b in zip(rgb, target, strict=True))
    return count


def test_the_size_png_is_the_chart_drawn_in_the_russell_s_colour(capsys, db, tmp_path, qapp):
    from desktop.ui.chart import series_colour
    from desktop.ui.performance import benchmark_label

    out = tmp_path / "size.png"
    code, stdout, err = run(capsys, "--db", db, "chart", "size", "--out", str(out))
    assert code == 0, err
    head = out.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (1200, 700)
    orange = series_colour(benchmark_label("^RUT"))[0]  # #D55E00, the returns chart's
    assert _pixels_near(out, orange) > 100


def test_a_size_csv_never_imports_qt(db, tmp_path, subprocess_env):
    import subprocess
    import sys

    out = tmp_path / "size.csv"
    code = (
        "import sys; from desktop.app import main; "
        f"assert main(['--db', {db!r}, 'chart', 'size', '--out', {str(out)!r}]) == 0; "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=subprocess_env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert read_csv(out)[0] == ["date", "ratio", "excess_12m"]
