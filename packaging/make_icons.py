"""Render the app icon's raster forms from its SVG source, into resources/.

``resources/portfolio-desk.svg`` is the one source. This writes beside it:

- ``portfolio-desk-N.png`` for N in 16, 32, 48, 64, 128, 256, 512 (the Linux hicolor theme sizes,
  and what the window can use where SVG icons are not available);
- ``portfolio-desk.ico``: every size up to 256 in one Windows icon (PyInstaller puts it in the
  .exe, Inno Setup in the installer and its shortcuts);
- ``portfolio-desk.icns``: the macOS icon family, 16 to 1024 pixels (the .app's icon).

Each size is rendered from the SVG itself, never scaled down from a larger bitmap, so the small
ones stay sharp. Qt writes PNGs; both containers are written here, since Qt's ICO writer stores
one image per file and its ICNS plugin may be missing (it is not in every PySide6 wheel). Both
formats are small and documented: an ICO is a directory of images (BMP for the small sizes, PNG
for 256, as Windows' own icons are), an ICNS a list of (type, length, PNG) blocks. The output is
byte-for-byte the same on every run, so regenerated files show no diff unless the SVG changed.

    python packaging/make_icons.py          # rewrite the files
    python packaging/make_icons.py --check  # exit 1 if any file differs from a fresh render
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SOURCE = RESOURCES / "portfolio-desk.svg"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: The ICNS block types that hold PNG data, by pixel size (Apple's ``IconFamily.h``; the @2x
#: types are the Retina forms of the size half as large).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"ic11", 32),  # 16@2x
    (b"icp5", 32),
    (b"ic12", 64),  # 32@2x
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic13", 256),  # 128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
)


def render(size: int):
    """The SVG drawn into a transparent ``size`` x ``size`` ARGB image."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit("Qt could not encode a PNG")
    buffer.close()
    return bytes(data)


def bmp_entry(image) -> bytes:
    """An ICO entry as a DIB: BITMAPINFOHEADER (height doubled, for the AND mask), 32-bit BGRA
    rows bottom-up, then the 1-bit AND mask (all zero: the alpha channel does the masking)."""
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    width, height = image.width(), image.height()
    header = struct.pack("<IiiHHIIiiII", 40, width, height * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    row_bytes = width * 4
    bits = bytes(image.constBits())  # ARGB32 is B, G, R, A in memory on little-endian machines
    stride = image.bytesPerLine()
    if sys.byteorder != "little":
        raise SystemExit("make_icons.py writes BGRA rows assuming a little-endian machine")
    pixels = b"".join(bits[y * stride : y * stride + row_bytes] for y in range(height - 1, -1, -1))
    mask_row = ((width + 31) // 32) * 4
    return header + pixels + bytes(mask_row * height)


def ico_bytes(images: dict[int, object]) -> bytes:
    """A multi-size ICO: ICONDIR, one ICONDIRENTRY per size, then the images. 256 (stored as 0
    in the one-byte width and height) is a PNG, as Windows expects of that size; the others
    are DIBs, which every version of Windows and every resource compiler reads."""
    payloads = [
        (size, png_bytes(images[size]) if size >= 256 else bmp_entry(images[size]))
        for size in ICO_SIZES
    ]
    out = [struct.pack("<HHH", 0, 1, len(payloads))]
    offset = 6 + 16 * len(payloads)
    for size, payload in payloads:
        dim = 0 if size >= 256 else size
        out.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(payload), offset))
        offset += len(payload)
    out.extend(payload for _, payload in payloads)
    return b"".join(out)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: the magic ``icns`` and the file's length, then blocks of a four-byte type,
    the block's length (header included) and the PNG; all big-endian."""
    blocks = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(blocks)) + blocks


def parse_icns(data: bytes) -> list[tuple[str, int]]:
    """The (type, PNG width) of each block of an ICNS file; raises ValueError if it is not one
    (used by ``--check`` and the tests: a container written by hand is verified by reading)."""
    if data[:4] != b"icns" or struct.unpack(">I", data[4:8])[0] != len(data):
        raise ValueError("not an icns file, or its length is wrong")
    blocks, at = [], 8
    while at < len(data):
        kind, length = data[at : at + 4], struct.unpack(">I", data[at + 4 : at + 8])[0]
        body = data[at + 8 : at + length]
        if length < 8 or at + length > len(data) or body[:8] != b"\x89PNG\r\n\x1a\n":
            raise ValueError(f"block {kind!r} at {at} is not a whole PNG")
        blocks.append((kind.decode("ascii"), struct.unpack(">I", body[16:20])[0]))
        at += length
    return blocks


def parse_ico(data: bytes) -> list[tuple[int, str]]:
    """The (size, "png" or "bmp") of each image of an ICO file; raises ValueError if it is not
    one."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    if reserved != 0 or kind != 1 or count == 0:
        raise ValueError("not an ico file")
    entries = []
    for i in range(count):
        w, h, _, _, _, bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        if offset + length > len(data) or bpp != 32 or w != h:
            raise ValueError(f"entry {i} is out of the file or not a square 32-bit image")
        body = data[offset : offset + length]
        entries.append((w or 256, "png" if body[:4] == b"\x89PNG" else "bmp"))
    return entries


def outputs() -> dict[Path, bytes]:
    """Every generated file and its content, from a fresh render of the SVG."""
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    images = {size: render(size) for size in sizes}
    pngs = {size: png_bytes(images[size]) for size in sizes}
    files = {RESOURCES / f"portfolio-desk-{size}.png": pngs[size] for size in PNG_SIZES}
    files[RESOURCES / "portfolio-desk.ico"] = ico_bytes(images)
    files[RESOURCES / "portfolio-desk.icns"] = icns_bytes(pngs)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts, plugins
    files = outputs()
    parse_icns(files[RESOURCES / "portfolio-desk.icns"])
    parse_ico(files[RESOURCES / "portfolio-desk.ico"])
    stale = [p for p, data in files.items() if not p.is_file() or p.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(RESOURCES.parent)}", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(files[path])
        tmp.replace(path)
        print(f"wrote {path.relative_to(RESOURCES.parent)} ({len(files[path])} bytes)")
    if not stale:
        print("all icons are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
