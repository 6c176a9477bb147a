"""Inline SVG charts: horizontal bars, a year histogram and a squarified treemap.

Drawn here rather than by a charting library so the report works air-gapped
and stays one file. Every label is escaped: paths may hold any character.
"""
from __future__ import annotations

from html import escape

PALETTE = ["#2f6f9f", "#d9822b", "#3a9a6b", "#b34a6a", "#7b61a8", "#a08a2a", "#4a8fb3", "#c0603a"]
# Folders in the treemap get their own colours, so they are not read as the mail/share/backup colours.
OTHER = "#a3adb8"     # the merged small folders and files
FOLDER_PALETTE = ["#5b5f97", "#2a9d8f", "#8d6a9f", "#457b9d", "#9c6644", "#6a994e", "#b56576", "#52796f"]


def hbar_chart(rows: list[tuple[str, int]], width: int = 560, bar_height: int = 22,
               colours: list[str] | None = None) -> str:
    """One bar per (label, value), in the order given."""
    colours = colours or PALETTE
    if not rows:
        return '<p class="empty">none</p>'
    top = max(v for _, v in rows) or 1
    label_w, gap = 170, 6
    height = len(rows) * (bar_height + gap)
    parts = [_svg_open(width, height, "bar chart")]
    for i, (label, value) in enumerate(rows):
        y = i * (bar_height + gap)
        w = max(1.0, (width - label_w - 70) * value / top)
        baseline = y + bar_height * 0.7
        parts.append(f'<text x="{label_w - 8}" y="{baseline:.1f}" text-anchor="end">{escape(label)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_height}" rx="3" '
                     f'fill="{colours[i % len(colours)]}"><title>{escape(label)}: {value:,}</title></rect>'
                     f'<text x="{label_w + w + 6:.1f}" y="{baseline:.1f}">{value:,}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(bins: list[tuple[str, int]], cutoff_year: int | None, width: int = 720,
              height: int = 220) -> str:
    """Bars per year label ("2019", or "≤1987" for a first bar that holds earlier years too);
    years wholly or partly before the retention cut-off are shaded."""
    if not bins:
        return '<p class="empty">no dated locations hold personal data</p>'
    top = max(v for _, v in bins) or 1
    pad_l, pad_b, pad_t = 40, 28, 18
    plot_w, plot_h = width - pad_l - 10, height - pad_b - pad_t
    base = pad_t + plot_h
    slot = plot_w / len(bins)
    bar_w = max(2.0, slot * 0.78)
    parts = [_svg_open(width, height, "histogram of last-modified years"),
             f'<line x1="{pad_l}" y1="{base}" x2="{width - 10}" y2="{base}" class="axis"/>']
    label_every = max(1, round(len(bins) / 14))
    for i, (year, value) in enumerate(bins):
        x = pad_l + i * slot + (slot - bar_w) / 2
        h = plot_h * value / top
        old = cutoff_year is not None and int(year.lstrip("≤")) <= cutoff_year
        parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" rx="2" '
                     f'class="{"old" if old else "recent"}">'
                     f'<title>{year}: {value:,} location(s)</title></rect>')
        if value:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
                         f'class="small">{value:,}</text>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - 8}" text-anchor="middle" class="small">'
                         f'{year}</text>')
    parts.append("</svg>")
    return "".join(parts)


def treemap(items: list[dict], width: int = 960, height: int = 360) -> str:
    """Rectangles sized by `value`; each item: label, value, target (an element id to open), sub (a note),
    group (cells of one group share a colour)."""
    items = [i for i in items if i["value"] > 0]
    if not items:
        return '<p class="empty">no personal data found</p>'
    rects = _nested_layout(items, width, height)
    parts = [_svg_open(width, height, "treemap of folders by findings")]
    for n, (item, (x, y, w, h)) in enumerate(rects):
        colour = OTHER if item.get("other") else FOLDER_PALETTE[item.get("group", n) % len(FOLDER_PALETTE)]
        parts.append(f'<g class="cell" data-target="{escape(item["target"])}" tabindex="0">'
                     f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}">'
                     f'<title>{escape(item["label"])}: {item["value"]:,} findings</title></rect>')
        if w > 60 and h > 30:
            chars = int((w - 10) / 8.2)   # bold 13px: about 8 px a character
            label = item["label"] if len(item["label"]) <= chars else item["label"][:chars - 1] + "…"
            parts.append(f'<text x="{x + 6:.1f}" y="{y + 18:.1f}" class="cell-label">{escape(label)}</text>'
                         f'<text x="{x + 6:.1f}" y="{y + 34:.1f}" class="cell-sub">'
                         f'{escape(item["sub"])}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _nested_layout(items: list[dict], width: float, height: float) -> list[tuple[dict, tuple]]:
    """Groups laid out first, then each group's cells inside its own rectangle, so a folder stays together."""
    groups: dict[int, list[dict]] = {}
    for n, item in enumerate(items):
        groups.setdefault(item.get("group", n), []).append(item)
    blocks = [dict(value=sum(i["value"] for i in members), members=members) for members in groups.values()]
    out = []
    for block, (x, y, w, h) in squarify(sorted(blocks, key=lambda b: -b["value"]), 0, 0, width, height):
        out += squarify(sorted(block["members"], key=lambda i: -i["value"]), x, y, w, h)
    return out


def squarify(items: list[dict], x: float, y: float, w: float, h: float) -> list[tuple[dict, tuple]]:
    """Bruls, Huizing and van Wijk's squarified layout: rows along the short side, kept near square."""
    total = sum(i["value"] for i in items)
    if not items or total <= 0:
        return []
    scale = w * h / total
    areas = [i["value"] * scale for i in items]
    out: list[tuple[dict, tuple]] = []
    start = 0
    while start < len(items):
        side = min(w, h)
        end = start + 1
        while end < len(items) and _worst(areas[start:end + 1], side) <= _worst(areas[start:end], side):
            end += 1
        row_area = sum(areas[start:end])
        thick = row_area / side
        offset = 0.0
        for item, area in zip(items[start:end], areas[start:end]):
            length = area / thick
            rect = (x, y + offset, thick, length) if w >= h else (x + offset, y, length, thick)
            out.append((item, rect))
            offset += length
        if w >= h:
            x, w = x + thick, w - thick
        else:
            y, h = y + thick, h - thick
        start = end
    return out


def _worst(areas: list[float], side: float) -> float:
    total = sum(areas)
    return max(max(side * side * a / (total * total), total * total / (side * side * a)) for a in areas)


def _svg_open(width: int, height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
            f'style="max-width:{width}px" role="img" aria-label="{escape(label)}">')
