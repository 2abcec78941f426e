"""Server-rendered SVG charts: yearly figures against the line to each milestone.
No JavaScript, no library: legible on a phone, printable, and usable in PDFs."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape

from common.formatting import vn_number

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36


@dataclass(frozen=True)
class Chart:
    indicator: object
    svg: str


def _scale(value, low, high, out_low, out_high):
    if high == low:
        return (out_low + out_high) / 2
    return out_low + (float(value) - low) / (high - low) * (out_high - out_low)


def progress_chart(indicator, series: dict[int, Decimal], lines, *, title: str) -> Chart:
    """``series``: year → value. ``lines``: [(baseline_year, baseline, milestone, target,
    label)] drawn dashed from the baseline to each milestone."""
    years = list(series) + [y for line in lines for y in (line[0], line[2])]
    values = [float(v) for v in series.values()] + [
        float(v) for line in lines for v in (line[1], line[3])
    ]
    x_low, x_high = min(years), max(years)
    y_high = max(values + [1.0]) * 1.1
    y_low = 0.0

    def x(year):
        return _scale(year, x_low, x_high, LEFT, WIDTH - RIGHT)

    def y(value):
        return _scale(value, y_low, y_high, HEIGHT - BOTTOM, TOP)

    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" '
        f'y2="{HEIGHT - BOTTOM}" class="axis" stroke="#505a66" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{HEIGHT - BOTTOM}" class="axis" '
        f'stroke="#505a66" stroke-width="1"/>',
    ]
    for fraction in (0, 0.5, 1):
        value = y_low + (y_high / 1.1) * fraction
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" class="tick" text-anchor="end" '
            f'font-size="12" fill="#505a66">'
            f"{escape(vn_number(round(Decimal(value), 1)))}</text>"
        )
    step = 1 if x_high - x_low <= 8 else 5
    for year in range(x_low, x_high + 1):
        if (year - x_low) % step == 0 or year == x_high:
            parts.append(
                f'<text x="{x(year):.1f}" y="{HEIGHT - BOTTOM + 18}" class="tick" '
                f'text-anchor="middle" font-size="12" fill="#505a66">{year}</text>'
            )
    for base_year, base, milestone, target, label in lines:
        parts.append(
            f'<line x1="{x(base_year):.1f}" y1="{y(base):.1f}" x2="{x(milestone):.1f}" '
            f'y2="{y(target):.1f}" class="plan-line" stroke="#8a6200" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
            f'<circle cx="{x(milestone):.1f}" cy="{y(target):.1f}" r="4" class="milestone" '
            f'fill="#8a6200">'
            f"<title>{escape(label)}</title></circle>"
        )
    points = sorted(series.items())
    if points:
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in points)
        parts.append(
            f'<polyline points="{path}" class="actual" fill="none" stroke="#0b4f9c" '
            f'stroke-width="2.5"/>'
        )
        for year, value in points:
            parts.append(
                f'<circle cx="{x(year):.1f}" cy="{y(value):.1f}" r="3.5" class="actual-dot" '
                f'fill="#0b4f9c">'
                f"<title>{year}: {escape(vn_number(value))}</title></circle>"
            )
    parts.append("</svg>")
    return Chart(indicator, "".join(parts))
