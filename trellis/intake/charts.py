"""Server-rendered SVG of the waitlist over time (the template draws it; no chart library).

Pure, as `measures/charts.py`: numbers in, coordinates out, so the chart is testable as data
and as markup. The table beside it carries every number; the chart is the shape."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trellis.intake.queries import WaitlistPoint

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 30


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    dots: list[Dot]
    polyline: str
    ticks: list[Tick]
    first_label: str
    last_label: str
    summary: str


def _nice_top(value: int) -> int:
    """The y axis' top: at least 4, rounded up to a multiple of 4 so the ticks are whole."""
    return max(4, -(-value // 4) * 4)


def waitlist_chart(points: Sequence[WaitlistPoint]) -> LineChart:
    top = _nice_top(max((p.count for p in points), default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    steps = max(1, len(points) - 1)

    def x_of(index: int) -> float:
        if len(points) == 1:
            return float(LEFT + plot_w / 2)
        return round(LEFT + plot_w * index / steps, 1)

    def y_of(value: int) -> float:
        return round(TOP + plot_h * (1 - value / top), 1)

    dots = [
        Dot(x_of(n), y_of(p.count), f"{p.on:%b} {p.on.day}: {p.count} waiting")
        for n, p in enumerate(points)
    ]
    ticks = [Tick(y_of(value), str(value)) for value in range(0, top + 1, top // 4)]
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_bottom=HEIGHT - BOTTOM,
        dots=dots,
        polyline=" ".join(f"{d.x},{d.y}" for d in dots),
        ticks=ticks,
        first_label=f"{points[0].on:%b} {points[0].on.day}" if points else "",
        last_label=f"{points[-1].on:%b} {points[-1].on.day}" if points else "",
        summary=_summary(points),
    )


def _summary(points: Sequence[WaitlistPoint]) -> str:
    if not points:
        return "No weeks in the period."
    first, last = points[0], points[-1]
    highest = max(p.count for p in points)
    return (
        f"{first.count} waiting on {first.on:%b} {first.on.day}, {last.count} on "
        f"{last.on:%b} {last.on.day}; at most {highest}."
    )
