"""Colours that follow the palette: text, muted text, and the tones of a gain and a loss.

A gain's green and a loss's red are picked for the window's background: darker shades on a
light background, lighter ones on a dark background, so both stay readable (contrast above
4.5:1 against the window colour in either).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

#: (on a light background, on a dark one)
_GAIN = ("#1a7f37", "#56d364")
_LOSS = ("#c62828", "#ff7b72")
_WARNING = ("#8a6d00", "#e3b341")  #: a note to act on (a price missing, cash below zero)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tones(palette: QPalette) -> dict[str, str]:
    """``text``, ``muted``, ``gain``, ``loss``, ``warning`` and ``""`` (neutral: the text
    colour)."""
    dark = is_dark(palette)
    text = palette.color(QPalette.ColorRole.WindowText)
    # Muted: the text colour 40% of the way to the window's (a style's placeholder colour
    # may be plain black, or transparent).
    muted = mix(text, palette.color(QPalette.ColorRole.Window), 0.4)
    return {
        "text": text.name(),
        "": text.name(),
        "muted": muted.name(),
        "gain": _GAIN[dark],
        "loss": _LOSS[dark],
        "warning": _WARNING[dark],
    }


def grid_colour(palette: QPalette) -> QColor:
    """A chart's grid lines: the base colour moved an eighth of the way to the text's."""
    return mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.12)


def mix(start: QColor, end: QColor, share: float) -> QColor:
    """``start`` moved ``share`` (0 to 1) of the way to ``end``, channel by channel (its alpha
    kept). ``fromRgbF``, not a copy: ``QColor(QColor)``'s overloads take a ``Qt.GlobalColor``,
    which makes the ``Qt`` namespace before the first paint (``qt_enums``)."""
    pairs = zip(start.getRgbF()[:3], end.getRgbF()[:3], strict=True)
    return QColor.fromRgbF(*(a + (b - a) * share for a, b in pairs), start.alphaF())
