"""Server-rendered SVG bar charts (no script, no inline style: the CSP forbids them)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 190
BAR_HEIGHT = 22
GAP = 8


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value (None when suppressed), text shown and geometry."""

    label: str
    value: int | None
    shown: str
    y: int
    width: float
    highlight: bool = False


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart's geometry."""

    title: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def height(self) -> int:
        """The chart's height in user units."""
        return max(len(self.bars), 1) * (BAR_HEIGHT + GAP) + GAP


def bar_chart(title: str, items: list[tuple[str, int | None, str]],
              highlight: set[str] | None = None) -> BarChart:
    """A horizontal bar chart of (label, value or None, text shown) items."""
    biggest = max((v for _, v, _ in items if v is not None), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 70
    bars = [Bar(label[:30], value, shown, GAP + i * (BAR_HEIGHT + GAP),
                0 if value is None else room * value / biggest,
                bool(highlight and label in highlight))
            for i, (label, value, shown) in enumerate(items)]
    return BarChart(title, bars)
