"""Server-rendered SVG trajectory geometry (the template draws it; no chart library).

Pure: numbers in, coordinates out, so the chart is testable as data and as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from trellis.measures.change import Point
from trellis.measures.scoring import Instrument

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 10, 30
BAND_CLASSES = ("band-0", "band-1", "band-2", "band-3", "band-4", "band-5")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str = ""


@dataclass(frozen=True)
class Marker:
    x: float
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    total: int
    on: date
    incomplete: bool


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Trajectory:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_bottom: int
    bands: list[Rect]
    reliable_band: Rect | None
    markers: list[Marker]
    dots: list[Dot]
    polyline: str
    ticks: list[Tick]
    first_label: str
    last_label: str


def trajectory(
    instrument: Instrument,
    points: Sequence[Point],
    *,
    admitted_on: date | None,
    discharged_on: date | None,
    today: date,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Trajectory:
    """The chart's geometry in a `width` × `height` viewBox (the chart tab's 640 × 220 by
    default; the participant's phone page asks for a narrower, taller-lettered one)."""
    ordered = sorted(points, key=lambda p: p.on)
    dates = [p.on for p in ordered] + [d for d in (admitted_on, discharged_on) if d is not None]
    start = min(dates) if dates else today - timedelta(days=28)
    end = max([*dates, discharged_on or today]) if dates else today
    if end <= start:
        end = start + timedelta(days=7)
    span = (end - start).days
    plot_w = width - LEFT - RIGHT
    plot_h = height - TOP - BOTTOM
    value_span = max(1, instrument.high - instrument.low)

    def x_of(day: date) -> float:
        return round(LEFT + plot_w * (day - start).days / span, 1)

    def y_of(value: float) -> float:
        clipped = min(max(value, instrument.low), instrument.high)
        return round(TOP + plot_h * (1 - (clipped - instrument.low) / value_span), 1)

    bands = []
    for n, band in enumerate(instrument.bands):
        top = y_of(band.high + (0.5 if band.high < instrument.high else 0))
        bottom = y_of(band.low - (0.5 if band.low > instrument.low else 0))
        bands.append(
            Rect(LEFT, top, plot_w, round(bottom - top, 1), BAND_CLASSES[min(n, 5)], band.label)
        )
    reliable = None
    threshold = instrument.change.reliable_threshold
    if ordered and threshold is not None:
        baseline = ordered[0].total
        top, bottom = y_of(baseline + threshold), y_of(baseline - threshold)
        reliable = Rect(
            LEFT,
            top,
            plot_w,
            round(bottom - top, 1),
            "reliable-band",
            f"No reliable change: within {threshold:g} points of the baseline {baseline}",
        )
    markers = []
    if admitted_on is not None:
        markers.append(Marker(x_of(admitted_on), "Admission"))
    if discharged_on is not None:
        markers.append(Marker(x_of(discharged_on), "Discharge"))
    dots = [Dot(x_of(p.on), y_of(p.total), p.total, p.on, p.incomplete) for p in ordered]
    ticks = [Tick(y_of(band.low), str(band.low)) for band in instrument.bands]
    ticks.append(Tick(y_of(instrument.high), str(instrument.high)))
    return Trajectory(
        width=width,
        height=height,
        plot_left=LEFT,
        plot_right=width - RIGHT,
        plot_bottom=height - BOTTOM,
        bands=bands,
        reliable_band=reliable,
        markers=markers,
        dots=dots,
        polyline=" ".join(f"{d.x},{d.y}" for d in dots),
        ticks=ticks,
        first_label=start.strftime("%b %-d"),
        last_label=end.strftime("%b %-d"),
    )
