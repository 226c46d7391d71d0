"""Bar and line charts as SVG text, drawn on the server: no script, every text escaped.

Each chart carries a title and description for screen readers and a `Table` with the same figures,
shown beside it. Only presentation attributes are used (no `style`), so the UI's CSP holds. With
`suppress`, small counts follow the small-count rule in the chart as well as in the table: they are
drawn in a shaded "< 5" band, never at their true height.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from adwatch.monitoring.small_counts import SMALL, THRESHOLD, is_small, shown

SVG_NAMESPACE = "http://www.w3.org/2000/svg"  # an XML name, never fetched

WIDTH = 640
COLOURS = ("#1f5fa8", "#b3461b", "#2e7d32", "#6a3d9a", "#7a5c00", "#c2185b", "#00695c")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 3", "10 4", "4 2 1 2")
TEXT = "#1a1a1a"
GRID = "#c8c8c8"
BAND = "#ececec"


@dataclass(frozen=True)
class Table:
    """The chart's figures as text: a caption, column headers, rows (first cell heads the row)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """One chart: its id (unique on the page), title, SVG and the table beside it."""

    id: str
    title: str
    svg: Markup
    table: Table


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    ids = f"{chart_id}-titel {chart_id}-uitleg"
    return [
        f'<svg xmlns="{SVG_NAMESPACE}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{escape(ids)}" class="chart" font-family="sans-serif" '
        f'font-size="12">',
        f'<title id="{escape(chart_id)}-titel">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-uitleg">{escape(description)}</desc>',
    ]


def _plotted(value: int, suppress: bool) -> float:
    """Where a value is drawn: small counts sit in the middle of the "< 5" band."""
    return THRESHOLD / 2 if suppress and is_small(value) else value


def _text(x: float, y: float, content: str, anchor: str = "start", **extra: str) -> str:
    attributes = "".join(f' {key.replace("_", "-")}="{escape(v)}"' for key, v in extra.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{TEXT}"{attributes}>'
        f"{escape(content)}</text>"
    )


def bar_svg(
    chart_id: str,
    title: str,
    description: str,
    items: Sequence[tuple[str, int]],
    *,
    suppress: bool,
) -> Markup:
    """Horizontal bars, one per (label, count), with the count written after each bar."""
    row, left, right = 26, 230, 70
    height = 16 + row * max(len(items), 1)
    top = max([v for _, v in items] + [THRESHOLD if suppress else 1, 1])
    scale = (WIDTH - left - right) / top
    parts = _open(chart_id, title, description, height)
    for index, (label, value) in enumerate(items):
        y = 8 + index * row
        length = _plotted(value, suppress) * scale
        fill = BAND if suppress and is_small(value) else COLOURS[0]
        parts.append(_text(left - 8, y + 15, _clip(label, 34), "end"))
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{fill}" stroke="{COLOURS[0]}" stroke-width="1"/>'
        )
        parts.append(_text(left + length + 6, y + 15, shown(value, suppress=suppress)))
    parts.append(f'<line x1="{left}" y1="4" x2="{left}" y2="{height - 4}" stroke="{TEXT}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _clip(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


@dataclass(frozen=True)
class _Frame:
    """The plotting area of a line chart and its value scale."""

    left: float
    top: float
    width: float
    height: float
    maximum: int

    def x(self, index: int, count: int) -> float:
        return self.left + (self.width * index / max(count - 1, 1))

    def y(self, value: float) -> float:
        return self.top + self.height * (1 - value / self.maximum)


def _nice(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step:
            return step
    return (value // 10_000 + 1) * 10_000


def line_svg(
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    suppress: bool,
) -> Markup:
    """Lines over the x labels, one per (name, values), with a legend below."""
    peak = max([v for _, values in series for v in values] + [1])
    frame = _Frame(48, 12, WIDTH - 72, 170, _nice(peak))
    legend_top = frame.top + frame.height + 40
    height = int(legend_top + 18 * len(series) + 6)
    parts = _open(chart_id, title, description, height)
    parts += _axes(frame, x_labels)
    if suppress and any(is_small(v) for _, values in series for v in values):
        parts += _band(frame)
    for index, (name, values) in enumerate(series):
        parts += _series(frame, values, index, suppress)
        parts += _legend_entry(frame.left, legend_top + 18 * index, name, index)
    parts.append("</svg>")
    return Markup("".join(parts))


def _axes(frame: _Frame, labels: Sequence[str]) -> list[str]:
    parts = []
    for tick in (0, frame.maximum // 2, frame.maximum):
        y = frame.y(tick)
        right = frame.left + frame.width
        parts.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(frame.left - 6, y + 4, shown(tick, suppress=False), "end"))
    longest = max((len(label) for label in labels), default=1)
    fits = max(1, int(frame.width // (7 * longest + 12)))  # about 7 px per character
    step = max(1, -(-len(labels) // fits))
    for index in range(0, len(labels), step):
        x = frame.x(index, len(labels))
        parts.append(_text(x, frame.top + frame.height + 18, labels[index], "middle"))
    return parts


def _band(frame: _Frame) -> list[str]:
    top, bottom = frame.y(THRESHOLD), frame.y(0)
    return [
        f'<rect x="{frame.left}" y="{top:.1f}" width="{frame.width}" height="{bottom - top:.1f}" '
        f'fill="{BAND}"/>',
        _text(frame.left + frame.width + 4, (top + bottom) / 2 + 4, SMALL),
    ]


def _series(frame: _Frame, values: Sequence[int], index: int, suppress: bool) -> list[str]:
    colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
    points = [
        (frame.x(i, len(values)), frame.y(_plotted(v, suppress))) for i, v in enumerate(values)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    parts = [f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>']
    for (x, y), value in zip(points, values, strict=True):
        hollow = suppress and is_small(value)
        fill = "#ffffff" if hollow else colour
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{fill}" stroke="{colour}"/>')
    return parts


def _legend_entry(x: float, y: float, name: str, index: int) -> list[str]:
    colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return [
        f'<line x1="{x}" y1="{y - 4}" x2="{x + 28}" y2="{y - 4}" stroke="{colour}" '
        f'stroke-width="2"{dashed}/>',
        _text(x + 36, y, _clip(name, 60)),
    ]
