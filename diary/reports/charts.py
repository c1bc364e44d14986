"""SVG pictures for the PDF: the pain trend with treatment markers, and the body heat map.

Drawn by hand with presentation attributes (fill, stroke), because WeasyPrint draws SVG
without the page's stylesheet. pygal was the first choice; it was dropped because importing
it appends an import hook without find_spec to sys.meta_path, and under the suite's
"warnings are errors" every later failed optional import (fontTools's brotlicffi, inside
WeasyPrint) then raises ImportWarning instead of ImportError.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from markupsafe import Markup

from diary.reference import REGIONS
from diary.services.trends import Day, RollingPoint

WIDTH, HEIGHT = 700, 196
LEFT, RIGHT, TOP, BOTTOM = 34, 690, 16, 172
INK = "#1d2a2e"
GRID = "#d5dad7"
RANGE = "#c9d8d6"
MEAN = "#2f5d62"
ROLLING = "#b35c00"
MARKER = "#a12a2a"
FONT = 'font-family="DejaVu Sans, sans-serif"'
SHADES = ("#f4f1ea", "#f0dcb8", "#e3b47e", "#cf8a55", "#a85c36", "#6e3322")
UNSHADED = "#eceeea"
OUTLINE = "#66736f"
SILHOUETTE = "#cfd5d1"


@dataclass(frozen=True)
class Marker:
    day: date
    label: str


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def trend_chart(
    days: Sequence[Day], rolling: Sequence[RollingPoint], markers: Sequence[Marker]
) -> Markup:
    """Daily averages (dots), lowest to highest (bars), 7-day average (line), treatments."""
    if not days:
        return Markup("")
    first, count = days[0].date, len(days)
    step = (RIGHT - LEFT) / max(count - 1, 1)

    def x(day: date) -> float:
        return LEFT + (day - first).days * step if count > 1 else (LEFT + RIGHT) / 2

    def y(score: float) -> float:
        return BOTTOM - score / 10 * (BOTTOM - TOP)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-label="Pain by day">'
    ]
    for score in range(0, 11, 2):
        parts.append(
            f'<line x1="{LEFT}" y1="{_n(y(score))}" x2="{RIGHT}" y2="{_n(y(score))}" '
            f'stroke="{GRID}" stroke-width="0.8"/>'
            f'<text x="{LEFT - 6}" y="{_n(y(score) + 3.5)}" text-anchor="end" font-size="10" '
            f'fill="{INK}" {FONT}>{score}</text>'
        )
    bar = max(1.2, min(6.0, step * 0.6))
    for day in days:
        if day.min is not None and day.max is not None:
            parts.append(
                f'<line x1="{_n(x(day.date))}" y1="{_n(y(day.min))}" x2="{_n(x(day.date))}" '
                f'y2="{_n(y(day.max))}" stroke="{RANGE}" stroke-width="{_n(bar)}" '
                'stroke-linecap="round"/>'
            )
    for segment in _segments([(p.date, p.value) for p in rolling]):
        points = " ".join(f"{_n(x(d))},{_n(y(v))}" for d, v in segment)
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{ROLLING}" stroke-width="2.4" '
            'stroke-linejoin="round"/>'
        )
    radius = max(1.2, min(3.0, step * 0.35))
    for day in days:
        if day.mean is not None:
            parts.append(
                f'<circle cx="{_n(x(day.date))}" cy="{_n(y(day.mean))}" r="{_n(radius)}" '
                f'fill="{MEAN}"/>'
            )
    for marker in markers:
        mx = _n(x(marker.day))
        parts.append(
            f'<line x1="{mx}" y1="{TOP}" x2="{mx}" y2="{BOTTOM}" stroke="{MARKER}" '
            'stroke-width="1.2" stroke-dasharray="4 3"/>'
            f'<circle cx="{mx}" cy="{TOP - 2}" r="7" fill="{MARKER}"/>'
            f'<text x="{mx}" y="{TOP + 1.5}" text-anchor="middle" font-size="9" '
            f'font-weight="bold" fill="#ffffff" {FONT}>{escape(marker.label)}</text>'
        )
    for tick in _ticks(days):
        parts.append(
            f'<text x="{_n(x(tick))}" y="{BOTTOM + 16}" text-anchor="middle" font-size="10" '
            f'fill="{INK}" {FONT}>{tick.day} {tick.strftime("%b")}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="{INK}" '
        'stroke-width="1"/></svg>'
    )
    return Markup("".join(parts))  # noqa: S704 -- built here from numbers and escaped labels


def _segments(points: Sequence[tuple[date, float | None]]) -> list[list[tuple[date, float]]]:
    """Runs of consecutive known values: the line breaks where the value is unknown."""
    runs: list[list[tuple[date, float]]] = [[]]
    for day, value in points:
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((day, value))
    return [run for run in runs if len(run) > 1]


def _ticks(days: Sequence[Day], most: int = 7) -> list[date]:
    every = max(1, -(-len(days) // most))
    return [day.date for i, day in enumerate(days) if i % every == 0]


def shade_colour(shade: float | None) -> str:
    if shade is None:
        return UNSHADED
    return SHADES[max(0, min(5, round(shade * 5)))]


def body_heat_map(shades: dict[str, float]) -> Markup:
    """The front (with the face close-up) and the back, darker where it hurt more often."""
    views = []
    for view in ("front", "back"):
        regions = [r for r in REGIONS if r.view == view]
        paths = "".join(
            f'<path d="{r.path}" fill="{shade_colour(shades.get(r.code))}" stroke="{OUTLINE}" '
            'stroke-width="0.6" stroke-linejoin="round"/>'
            for r in regions
        )
        side_left, side_right = ("Right", "Left") if view == "front" else ("Left", "Right")
        frame = (
            '<rect x="139" y="294" width="60" height="108" rx="8" fill="none" '
            f'stroke="{SILHOUETTE}" stroke-width="1"/>'
            f'<text x="169" y="306" text-anchor="middle" font-size="9" fill="{INK}" {FONT}>'
            "Face</text>"
            if view == "front"
            else ""
        )
        views.append(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 466" width="48%" '
            f'role="img" aria-label="Body map, {view}">{frame}{paths}'
            f'<text x="2" y="14" font-size="15" fill="{INK}" {FONT}>{side_left}</text>'
            f'<text x="198" y="14" text-anchor="end" font-size="15" fill="{INK}" {FONT}>'
            f"{side_right}</text>"
            f'<text x="100" y="462" text-anchor="middle" font-size="18" font-weight="bold" '
            f'fill="{INK}" {FONT}>{view.title()}</text></svg>'
        )
    return Markup("".join(views))  # noqa: S704 -- paths from the fixed vocabulary
