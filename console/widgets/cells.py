"""How one snapshot cell looks: numbers right-aligned, usage drawn as a bar."""

from __future__ import annotations

from rich.text import Text

from console.snapshot import Bar, Cell

BAR_WIDTH = 10
_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")


def human_bytes(count: int) -> str:
    """1536 -> "1.5 KB": operators compare sizes at a glance, not byte counts."""
    value = float(count)
    for unit in _UNITS:
        if abs(value) < 1024 or unit == _UNITS[-1]:
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def amount(value: int, unit: str) -> str:
    return human_bytes(value) if unit == "bytes" else f"{value:,}"


def render_bar(bar: Bar) -> Text:
    """``█████░░░░░  50% 5/10``; an unlimited quota has no bar, only ``5 / ∞``."""
    if bar.limit is None:
        return Text(f"{amount(bar.used, bar.unit)} / ∞")
    ratio = bar.used / bar.limit if bar.limit > 0 else 1.0
    filled = min(BAR_WIDTH, round(ratio * BAR_WIDTH))
    # Colour says "act now" (over the limit) or "soon" before anyone reads the numbers.
    style = "bold red" if ratio >= 1 else "yellow" if ratio >= 0.8 else "green"
    text = Text("█" * filled, style=style)
    text.append("░" * (BAR_WIDTH - filled), style="dim")
    text.append(f" {ratio:4.0%} {amount(bar.used, bar.unit)}/{amount(bar.limit, bar.unit)}")
    return text


def render_cell(cell: Cell) -> Text:
    if cell is None:
        return Text("—", style="dim")
    if isinstance(cell, Bar):
        return render_bar(cell)
    if isinstance(cell, bool):
        return Text("yes" if cell else "no")
    if isinstance(cell, int):
        return Text(f"{cell:,}", justify="right")
    if isinstance(cell, float):
        return Text(f"{cell:,.2f}", justify="right")
    # Text, not str: DataTable parses plain strings as markup, and error messages or
    # filenames with brackets must show as they are.
    return Text(cell)
