"""Geometry for the coverage page's server-rendered SVG charts (no JavaScript).

The templates draw what these functions compute; each chart also has a data
table next to it for screen readers and for anyone who wants the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .coverage import DayActivity, Split

WIDTH = 760


def _n(value: float) -> str:
    """A coordinate for an SVG attribute: a dot as decimal mark whatever the
    language (templates would localize a float to ``12,5``)."""
    return f"{value:.1f}".removesuffix(".0")


def _nice_ceiling(value: int, ticks: int = 4) -> tuple[int, int]:
    """An axis maximum and tick step that are round numbers (1, 2, 5 × 10ⁿ)."""
    value = max(value, 1)
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return step * math.ceil(value / step), step


def activity_chart(days: Sequence[DayActivity]) -> dict:
    """Bars per day: password resets and unlocks side by side."""
    left, right, top, bottom = 44, 12, 12, 44
    height = 260
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    top_value, step = _nice_ceiling(max([max(d.resets, d.unlocks) for d in days] or [0]))
    slot = plot_w / max(len(days), 1)
    bar_w = max(slot * 0.36, 1)
    bars, labels = [], []
    for i, day in enumerate(days):
        x0 = left + i * slot + slot * 0.12
        for j, (value, css, name) in enumerate(
            ((day.resets, "resets", _("Nya lösenord")), (day.unlocks, "unlocks", _("Upplåsta")))
        ):
            h = plot_h * value / top_value
            bars.append(
                {
                    "x": _n(x0 + j * bar_w),
                    "y": _n(top + plot_h - h),
                    "w": _n(bar_w),
                    "h": _n(h) if value else "",
                    "css": css,
                    "title": f"{date_format(day.day, 'j F')}: {name} {value}",
                }
            )
        if i % 5 == 0 or i == len(days) - 1:
            labels.append(
                {"x": _n(left + i * slot + slot / 2), "text": date_format(day.day, "j/n")}
            )
    ticks = [
        {"y": _n(top + plot_h - plot_h * v / top_value), "text": v}
        for v in range(0, top_value + 1, step)
    ]
    return {
        "width": WIDTH,
        "height": height,
        "left": left,
        "tick_x": left - 6,
        "right": WIDTH - right,
        "baseline": top + plot_h,
        "label_y": top + plot_h + 18,
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "total_resets": sum(d.resets for d in days),
        "total_unlocks": sum(d.unlocks for d in days),
    }


def coverage_chart(splits: Sequence[Split]) -> dict:
    """One stacked bar per group (all users, then each OU): full, partial, none."""
    label_w, right, row_h, gap, top = 220, 60, 22, 12, 8
    plot_w = WIDTH - label_w - right
    rows = []
    for i, split in enumerate(splits):
        y = top + i * (row_h + gap)
        x = label_w
        segments = []
        for part, css in ((split.full, "full"), (split.partial, "partial"), (split.none, "none")):
            w = plot_w * part / split.total if split.total else 0
            segments.append({"x": _n(x), "w": _n(w) if part else "", "css": css, "value": part})
            x += w
        label = split.label if len(split.label) <= 30 else split.label[:29] + "…"
        rows.append(
            {
                "y": y,
                "text_y": _n(y + row_h / 2 + 5),
                "label": label,
                "segments": segments,
                "percent": split.full_percent,
                "split": split,
            }
        )
    return {
        "width": WIDTH,
        "height": top + len(rows) * (row_h + gap),
        "label_x": label_w - 8,
        "value_x": WIDTH - right + 8,
        "row_h": row_h,
        "rows": rows,
    }
