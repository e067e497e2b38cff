"""Draw the site's PNG icons and /favicon.ico from the shape of theme/static/favicon.svg.

    python tools/icons.py        # writes theme/static/icons/*.png and content/extra/favicon.ico

The SVG is a rounded square (#0b6e63, rx 6 of 32) with a white cross; this
rasterizes the same shape with 4x4 supersampling, in pure Python (no imaging
library for six small files). The ICO holds PNG images (16, 32, 48), as
Windows Vista and every browser since read them. Run again only when the
shape changes: the files are committed.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GREEN = (0x0B, 0x6E, 0x63)
WHITE = (0xFF, 0xFF, 0xFF)
SS = 4  # samples per pixel, per axis


def _inside_rounded(x: float, y: float, w: float, h: float, r: float) -> bool:
    if not (0 <= x <= w and 0 <= y <= h):
        return False
    cx = min(max(x, r), w - r)
    cy = min(max(y, r), h - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _inside_cross(x: float, y: float) -> bool:
    # M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z on the 32 grid
    return (13 <= x <= 19 and 7 <= y <= 25) or (7 <= x <= 25 and 13 <= y <= 19)


def draw(width: int, height: int) -> list[bytes]:
    """Rows of RGBA pixels: the icon square centred in a width x height green-backed canvas."""
    side = min(width, height)
    scale = 32 / side
    ox = (width - side) / 2
    oy = (height - side) / 2
    wide = width != height
    rows = []
    n = SS * SS
    for py in range(height):
        row = bytearray()
        for px in range(width):
            green = white = 0
            for sy in range(SS):
                for sx in range(SS):
                    x = (px + (sx + 0.5) / SS - ox) * scale
                    y = (py + (sy + 0.5) / SS - oy) * scale
                    if _inside_cross(x, y) and 0 <= x <= 32:
                        white += 1
                    elif wide or _inside_rounded(x, y, 32, 32, 6):
                        green += 1
            covered = green + white
            if covered == 0:
                row += b"\0\0\0\0"
                continue
            rgb = [round((g * green + w * white) / covered) for g, w in zip(GREEN, WHITE, strict=True)]
            row += bytes(rgb) + bytes([round(255 * covered / n)])
        rows.append(bytes(row))
    return rows


def png(width: int, height: int) -> bytes:
    raw = b"".join(b"\0" + r for r in draw(width, height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def ico(sizes: tuple[int, ...]) -> bytes:
    images = [png(s, s) for s in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for s, data in zip(sizes, images, strict=True):
        out += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(images)


ICONS = {"icon-32.png": (32, 32), "icon-192.png": (192, 192), "icon-512.png": (512, 512),
         "apple-touch-icon.png": (180, 180), "logo.png": (256, 128)}


def main() -> int:
    folder = ROOT / "theme" / "static" / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (w, h) in ICONS.items():
        (folder / name).write_bytes(png(w, h))
    extra = ROOT / "content" / "extra"
    extra.mkdir(parents=True, exist_ok=True)
    (extra / "favicon.ico").write_bytes(ico((16, 32, 48)))
    print(f"icons: {len(ICONS)} PNG in {folder.relative_to(ROOT)}, favicon.ico in {extra.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
