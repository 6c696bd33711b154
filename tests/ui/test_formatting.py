from decimal import Decimal as D

import pytest

from desktop.ui import formatting as fmt


@pytest.mark.parametrize(
    "value, text",
    [
        ("32", "32.00"),
        ("32.00", "32.00"),
        ("36.5", "36.50"),
        ("0.1234", "0.1234"),
        ("1.2300", "1.23"),
        ("0", "0.00"),
    ],
)
def test_decimal_text_reads_like_money(value, text):
    assert fmt.decimal_text(D(value)) == text


def test_quantity_and_percent():
    assert fmt.quantity(D("1500")) == "1,500"
    assert fmt.quantity(D("12.345")) == "12.345"
    assert fmt.percent(-0.004966, signed=True) == "-0.50%"
    assert fmt.signed_money(None) == "—"


def test_rich_text_escapes_what_qt_would_read_as_markup():
    import html

    text = 'R&D <b>"growth"</b> > 5%'
    assert fmt.rich_text(text) == 'R&amp;D &lt;b&gt;"growth"&lt;/b&gt; &gt; 5%'
    # The same as the standard library's escape, quotes aside (they are text in an element).
    assert fmt.rich_text(text) == html.escape(text, quote=False)
