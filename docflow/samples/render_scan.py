"""Scans: a text drawn on A4 pages at 200 dpi, then tilted, grainy and slightly blurred,
as a flatbed scanner or a phone app delivers it; encoded as JPEG, PNG or fax TIFF.

Costs per page, measured: drawing ~15 ms, noise ~15 ms (random bytes through a Gaussian
lookup table, no per-pixel Python), rotation ~30 ms (bilinear), blur ~25 ms, JPEG ~15 ms.
"""

from __future__ import annotations

import io
import random
import textwrap
from functools import lru_cache
from statistics import NormalDist
from typing import TYPE_CHECKING

from docflow.errors import MissingExtra

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont, ImageFont

DPI = 200
WIDTH, HEIGHT = 1654, 2339  # A4 at 200 dpi
MARGIN_X, MARGIN_Y = 130, 150
_FONTS = {
    "sans": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"),
    "serif": ("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", "Times New Roman.ttf"),
    "mono": ("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "Courier New.ttf", "cour.ttf"),
}
_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/TTF",
              "/Library/Fonts", "/System/Library/Fonts/Supplemental", "C:/Windows/Fonts")  # fmt: skip


def pillow() -> None:
    try:
        import PIL  # noqa: F401
    except ImportError:
        raise MissingExtra(
            "rendering scans needs Pillow: pip install 'docflow[documents]'"
        ) from None


@lru_cache(maxsize=64)
def font(family: str, size: int) -> FreeTypeFont | ImageFont:
    """A TrueType font of the system, else Pillow's own (which needs no font files)."""
    from PIL import ImageFont

    for name in _FONTS[family]:
        for folder in _FONT_DIRS:
            try:
                return ImageFont.truetype(f"{folder}/{name}", size)
            except OSError:
                continue
    return ImageFont.load_default(size)


@lru_cache(maxsize=64)
def _char_width(family: str, size: int) -> float:
    sample = "Rechnungsbetrag 1.234,56 invoice amount Facture été 0123456789"
    return font(family, size).getlength(sample) / len(sample)


@lru_cache(maxsize=16)
def _noise_table(sigma: int) -> list[int]:
    """Maps a uniform byte to Gaussian noise around 128: the inverse normal CDF, quantised."""
    normal = NormalDist(128, sigma)
    return [max(0, min(255, round(normal.inv_cdf((i + 0.5) / 256)))) for i in range(256)]


def layout(text: str, *, pages: int | None = None) -> tuple[str, int, list[list[str]]]:
    """(font family, size in pixels, lines per page) for `text`; with `pages`, the font
    shrinks (to 20 px at least) so the text fits that many pages."""
    aligned = [line for line in text.splitlines() if "   " in line.strip()]
    family = "mono" if len(aligned) >= 3 else "sans"
    size = 30
    if family == "mono":  # columns must not wrap: the longest of them sets the size
        longest = max(len(line) for line in aligned)
        size = max(20, min(30, int((WIDTH - 2 * MARGIN_X) / (0.61 * longest))))
    while True:
        chars = max(20, int((WIDTH - 2 * MARGIN_X) / _char_width(family, size)))
        lines = [
            part for line in text.splitlines() for part in (textwrap.wrap(line, chars) or [""])
        ]
        per_page = int((HEIGHT - 2 * MARGIN_Y) / (size * 1.45))
        chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
        if pages is None or len(chunks) <= pages or size <= 20:
            return family, size, chunks[: pages or len(chunks)]
        size -= 2


def page(rng: random.Random, lines: list[str], family: str, size: int) -> Image:
    """One scanned page: drawn, with grain, tilted 0.3-2 degrees, a little blurred."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    paper = 238 + int(rng.random() * 14)
    image = Image.new("L", (WIDTH, HEIGHT), paper)
    draw = ImageDraw.Draw(image)
    ink, face = 25 + int(rng.random() * 40), font(family, size)
    x, y = MARGIN_X + int(rng.random() * 30), MARGIN_Y + int(rng.random() * 30)
    for line in lines:
        if line:
            draw.text((x, y), line, fill=ink, font=face)
        y += int(size * 1.45)
    grain = Image.frombytes("L", image.size, rng.randbytes(WIDTH * HEIGHT))
    image = ImageChops.add(image, grain.point(_noise_table(6 + int(rng.random() * 8))), 1, -128)
    angle = (0.3 + rng.random() * 1.7) * (1 if rng.random() < 0.5 else -1)
    image = image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=paper)
    return image.filter(ImageFilter.GaussianBlur(0.5 + rng.random() * 0.3))


def pages(rng: random.Random, text: str, count: int | None = None) -> list[Image]:
    pillow()
    family, size, chunks = layout(text, pages=count)
    return [page(rng, chunk, family, size) for chunk in chunks]


def jpeg(image: Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(DPI, DPI))
    return out.getvalue()


def png(image: Image) -> bytes:
    """A 16-level greyscale PNG: what scanner apps save, and a tenth of the size of 256."""
    out = io.BytesIO()
    image.point([(v // 16) * 17 for v in range(256)]).save(
        out, "PNG", compress_level=1, dpi=(DPI, DPI)
    )
    return out.getvalue()


def fax_tiff(images: list[Image]) -> bytes:
    """A black-and-white multi-page TIFF in CCITT group 4, as fax servers store them."""
    from PIL import Image

    table = [0 if v < 180 else 255 for v in range(256)]
    bw = [im.point(table).convert("1", dither=Image.Dither.NONE) for im in images]
    out = io.BytesIO()
    bw[0].save(
        out, "TIFF", compression="group4", save_all=True, append_images=bw[1:], dpi=(DPI, DPI)
    )
    return out.getvalue()
