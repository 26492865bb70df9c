"""The installed app's icons, drawn with Pillow in the organisation's brand colour.

They repeat the mark of ``static/ambassade/icon.svg`` (a white chevron and a yellow dot)
on the brand colour, so that the home screen shows the organisation's colour without an
upload. A maskable icon fills the whole square and keeps the mark inside the central
safe zone (a circle of 80 % of the width), because the launcher cuts its own shape out.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

from PIL import Image, ImageDraw

SIZES = (192, 512)
DEFAULT_COLOUR = "1d3f8f"
_HEX = re.compile(r"^[0-9a-f]{6}$")
_DOT_YELLOW = (240, 180, 0)


def colour_slug(brand_colour: str | None) -> str:
    """``#1D3F8F`` → ``1d3f8f``; anything that is not a six-digit hex colour → the default."""
    value = (brand_colour or "").strip().lstrip("#").lower()
    return value if _HEX.match(value) else DEFAULT_COLOUR


def is_colour_slug(value: str) -> bool:
    return bool(_HEX.match(value))


@lru_cache(maxsize=64)  # a handful of colours per instance, two sizes, two shapes
def icon_png(colour: str, size: int, maskable: bool) -> bytes:
    """A PNG of ``size`` pixels; ``colour`` is a slug from colour_slug()."""
    background = tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
    scale = 2  # drawn larger then reduced: smooth edges without an anti-aliasing option
    side = size * scale
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, side, side), fill=background)
        mark = side * 0.6  # inside the safe zone
    else:
        draw.rounded_rectangle((0, 0, side - 1, side - 1), radius=side // 4, fill=background)
        mark = side * 1.0
    # The SVG's 32-unit drawing, centred and scaled to ``mark``.
    unit = mark / 32
    origin = (side - mark) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return (origin + x * unit, origin + y * unit)

    draw.line(
        [at(9, 22), at(16, 9), at(23, 22)], fill="white", width=round(3 * unit), joint="curve"
    )
    for x, y in ((9, 22), (23, 22), (16, 9)):  # round line caps
        cx, cy = at(x, y)
        radius = 1.5 * unit
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill="white")
    cx, cy = at(16, 19)
    draw.ellipse((cx - 2 * unit, cy - 2 * unit, cx + 2 * unit, cy + 2 * unit), fill=_DOT_YELLOW)
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    # Four colours and their blended edges fit a palette: a third of the bytes of RGBA,
    # which every phone downloads with the service worker's shell.
    image = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
