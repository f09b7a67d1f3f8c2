"""Reading order for OCR boxes: lines from boxes, columns by a small recursive XY-cut.

An OCR engine returns one box per text segment. Grouping them by height alone
interleaves the two columns of a letter; this splits the page into bands at blank gaps,
and a band into left and right at a vertical gutter only when both sides read as running
text, so table columns and right-aligned amounts stay on their row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

Point = Sequence[float]


class _Band:
    """What a word box and a line of them have alike: a vertical extent."""

    y0: float
    y1: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return max(1.0, self.y1 - self.y0)


@dataclass
class _Box(_Band):
    text: str
    x0: float
    x1: float
    y0: float
    y1: float


@dataclass
class _Line(_Band):
    boxes: list[_Box] = field(default_factory=list)
    y0: float = 0.0
    y1: float = 0.0

    def text(self) -> str:
        return " ".join(b.text for b in sorted(self.boxes, key=lambda b: b.x0))


def _deskewed(quads: Sequence[Sequence[Point]], texts: Sequence[str]) -> list[_Box]:
    """Axis-aligned boxes, after undoing the page's average skew (lines of a rotated scan)."""
    angles, weights = [], []
    for quad in quads:
        dx, dy = quad[1][0] - quad[0][0], quad[1][1] - quad[0][1]
        if abs(dx) > 1:
            angles.append(math.atan2(dy, dx))
            weights.append(abs(dx))
    angle = (
        sum(a * w for a, w in zip(angles, weights, strict=True)) / sum(weights) if weights else 0.0
    )
    if abs(angle) > math.radians(20):
        angle = 0.0
    cos, sin = math.cos(-angle), math.sin(-angle)
    boxes = []
    for quad, text in zip(quads, texts, strict=True):
        xs = [x * cos - y * sin for x, y in quad]
        ys = [x * sin + y * cos for x, y in quad]
        boxes.append(_Box(text.strip(), min(xs), max(xs), min(ys), max(ys)))
    return boxes


def _lines(boxes: list[_Box]) -> list[str]:
    lines: list[_Line] = []
    for box in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        for line in lines[-8:]:
            overlap = min(line.y1, box.y1) - max(line.y0, box.y0)
            shorter = min(line.h, box.h)
            if overlap / shorter > 0.5 or abs(line.cy - box.cy) < 0.35 * shorter:
                line.boxes.append(box)
                line.y0, line.y1 = min(line.y0, box.y0), max(line.y1, box.y1)
                break
        else:
            lines.append(_Line([box], box.y0, box.y1))
    return [line.text() for line in sorted(lines, key=lambda line: line.cy)]


def _running_text(boxes: list[_Box]) -> bool:
    lines = _lines(boxes)
    if len(lines) < 4:
        return False
    joined = "".join(lines)
    letters = sum(ch.isalpha() for ch in joined)
    return letters / max(1, len(joined.replace(" ", ""))) >= 0.6 and len(joined) / len(lines) >= 15


def _gaps(intervals: list[tuple[float, float]], min_gap: float) -> list[tuple[float, float]]:
    ordered = sorted(intervals)
    gaps, end = [], ordered[0][1]
    for start, stop in ordered[1:]:
        if start - end >= min_gap:
            gaps.append((end, start))
        end = max(end, stop)
    return gaps


def _cut(boxes: list[_Box], height: float, depth: int = 0) -> list[str]:
    if len(boxes) < 2 or depth > 12:
        return _lines(boxes)
    gaps = _gaps([(b.y0, b.y1) for b in boxes], 0.6 * height)
    if not gaps:
        return _cut_columns(boxes, height, depth + 1)
    bounds = [-math.inf, *(stop for _, stop in gaps)]
    ends = [start for start, _ in gaps] + [math.inf]
    out: list[str] = []
    for low, high in zip(bounds, ends, strict=True):
        band = [b for b in boxes if low <= b.cy < high]
        if band:
            out += _cut_columns(band, height, depth + 1)
    return out


def _cut_columns(boxes: list[_Box], height: float, depth: int) -> list[str]:
    for start, stop in sorted(_gaps([(b.x0, b.x1) for b in boxes], 0.4 * height),
                              key=lambda gap: gap[0] - gap[1]):  # fmt: skip
        left = [b for b in boxes if b.x1 <= start + 1]
        right = [b for b in boxes if b.x0 >= stop - 1]
        if _running_text(left) and _running_text(right):
            return _cut(left, height, depth + 1) + _cut(right, height, depth + 1)
    return _lines(boxes)


def reading_order(quads: Sequence[Sequence[Point]], texts: Sequence[str]) -> list[str]:
    """Lines of text in reading order, from each segment's four corners and its text."""
    kept = [(q, t) for q, t in zip(quads, texts, strict=True) if t.strip()]
    if not kept:
        return []
    boxes = _deskewed([q for q, _ in kept], [t for _, t in kept])
    return _cut(boxes, median(b.h for b in boxes))
