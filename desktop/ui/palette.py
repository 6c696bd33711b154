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


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tones(palette: QPalette) -> dict[str, str]:
    """``text``, ``muted``, ``gain``, ``loss`` and ``""`` (neutral: the text colour)."""
    dark = is_dark(palette)
    text = palette.color(QPalette.ColorRole.WindowText)
    # Muted: the text colour 40% of the way to the window's (a style's placeholder colour
    # may be plain black, or transparent).
    window = palette.color(QPalette.ColorRole.Window)
    muted = QColor(text)
    muted.setRgbF(
        *(t + (w - t) * 0.4 for t, w in zip(text.getRgbF()[:3], window.getRgbF()[:3], strict=True))
    )
    return {
        "text": text.name(),
        "": text.name(),
        "muted": muted.name(),
        "gain": _GAIN[dark],
        "loss": _LOSS[dark],
    }


def grid_colour(palette: QPalette) -> QColor:
    """A chart's grid lines: the base colour moved an eighth of the way to the text's."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    mixed = QColor(base)
    mixed.setRgbF(
        *(b + (t - b) * 0.12 for b, t in zip(base.getRgbF()[:3], text.getRgbF()[:3], strict=True))
    )
    return mixed
