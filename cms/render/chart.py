"""A small accessible SVG bar chart, drawn at build time (no chart library, no script)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

ROW = 26  # pixels per bar
LABEL_W = 112
BAR_W = 180


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css_class: str = ""


@dataclass(frozen=True)
class Wording:
    """How a chart's description states its numbers (already in the page's language)."""

    item: str = "%(label)s %(value)s 个"  # one bar: %(label)s and %(value)s
    separator: str = "；"
    end: str = "。"


def bar_chart(title: str, bars: list[Bar], chart_id: str, wording: Wording = Wording()) -> str:
    """Return an SVG with role="img", a <title> and a <desc> that states every number."""
    top = max((b.value for b in bars), default=0) or 1
    height = ROW * len(bars) + 4
    width = LABEL_W + BAR_W + 48
    items = (wording.item % {"label": b.label, "value": b.value} for b in bars)
    desc = wording.separator.join(items) + wording.end
    parts = [
        f'<svg class="bar-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = i * ROW + 2
        w = round(BAR_W * bar.value / top, 1)
        css = f"bar {escape(bar.css_class)}".strip()
        parts.append(
            f'<text class="bar-label" x="{LABEL_W - 6}" y="{y + 17}" text-anchor="end">'
            f"{escape(bar.label)}</text>"
            f'<rect class="{css}" x="{LABEL_W}" y="{y + 4}" width="{w}" height="{ROW - 8}"/>'
            f'<text class="bar-value" x="{LABEL_W + w + 6}" y="{y + 17}">{bar.value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def progress_chart(title: str, desc: str, value: int, target: int, chart_id: str) -> str:
    """Return an SVG bar of ``value`` out of ``target``; ``desc`` states both numbers in words."""
    width, height, bar_h = LABEL_W + BAR_W + 80, 32, 24
    full = LABEL_W + BAR_W
    done = round(full * min(value, target) / target, 1) if target > 0 else 0
    shown = f"{value}/{target}" if target > 0 else str(value)
    return "".join(
        [
            f'<svg class="bar-chart progress-chart" xmlns="http://www.w3.org/2000/svg"'
            f' viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img"'
            f' aria-labelledby="{chart_id}-title {chart_id}-desc">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
            f'<rect class="track" x="0" y="4" width="{full}" height="{bar_h}"/>',
            f'<rect class="bar" x="0" y="4" width="{done}" height="{bar_h}"/>',
            f'<text class="bar-value" x="{full + 6}" y="{4 + bar_h - 7}">{shown}</text>',
            "</svg>",
        ]
    )
