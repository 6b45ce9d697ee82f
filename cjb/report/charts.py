"""Charts as inline SVG, drawn by matplotlib (no JavaScript, no fonts or images to fetch).

Every function returns an SVG fragment ready to paste into the HTML: the XML prolog and
metadata are dropped, text stays text (the page's fonts), element ids are prefixed so several
charts can share one document, and the chart carries a ``<title>`` and ``aria-label``.
Points that disclosure control withholds arrive as ``None`` and are left out (a gap).
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Callable, Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")  # never a GUI backend, whatever the environment says

from matplotlib.figure import Figure  # noqa: E402

INK = "#1f2933"
MUTED = "#6b7785"
GRID = "#d9dee3"
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILION = "#D55E00"
GREY = "#999999"
SERIES = [BLUE, ORANGE, GREEN, VERMILION, SKY, "#CC79A7", GREY]

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "cjb-report",
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "text.color": INK,
}
_ids = itertools.count(1)


def _nan(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _svg(fig: Figure, title: str) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", transparent=True)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r"<style[^>]*>.*?</style>", "", text, flags=re.S)  # in the page's CSS
    prefix = f"c{next(_ids)}-"
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', text)
    label = escape(title, quote=True)
    text = text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    head_end = text.index(">") + 1
    return text[:head_end] + f"<title>{label}</title>" + text[head_end:]


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), dpi=96)


def _style(ax, grid_axis: str = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(GRID)
    ax.spines["bottom"].set_color(GRID)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=0, labelsize=8)


def sparkline(values: Sequence[float | None], title: str, colour: str = BLUE) -> str:
    """A small trend line, the latest point marked; no axes."""
    fig = _figure(1.5, 0.42)
    with matplotlib.rc_context(_RC):
        ax = fig.add_axes((0.04, 0.12, 0.92, 0.76))
        ys = _nan(values)
        xs = list(range(len(ys)))
        ax.plot(xs, ys, color=colour, linewidth=1.4, solid_capstyle="round")
        if ys and not math.isnan(ys[-1]):
            ax.plot([xs[-1]], [ys[-1]], "o", color=colour, markersize=3.5)
        finite = [y for y in ys if not math.isnan(y)]
        if len(finite) == 1:
            ax.plot([xs[ys.index(finite[0])]], finite, "o", color=colour, markersize=3.5)
        if finite:
            lo, hi = min(finite), max(finite)
            pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1
            ax.set_ylim(lo - pad, hi + pad)
        ax.set_xlim(-0.3, max(len(ys) - 1, 1) + 0.3)
        ax.axis("off")
    return _svg(fig, title)


def quarter_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    *,
    percent: bool = False,
    target: float | None = None,
    highlight: int | None = None,
    fmt: Callable[[float], str] | None = None,
) -> str:
    """Quarterly values as columns (the chosen quarter darker), with the target as a line.

    ``fmt`` formats a value for the labels (default: a count, or a percentage)."""
    fmt = fmt or (lambda y: _short(y, percent))
    fig = _figure(6.4, 2.3)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        ys = _nan(values)
        colours = [BLUE if i == highlight else SKY for i in range(len(ys))]
        bars = ax.bar(range(len(ys)), [0 if math.isnan(y) else y for y in ys], color=colours)
        for i, (bar, y) in enumerate(zip(bars, ys, strict=True)):
            text = "[c]" if values[i] is None else fmt(y)
            ax.annotate(
                text,
                (bar.get_x() + bar.get_width() / 2, 0 if math.isnan(y) else y),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7.5,
                color=INK,
            )
        if target is not None:
            ax.axhline(target, color=VERMILION, linewidth=1.2, linestyle="--")
            ax.annotate(
                f"target {fmt(target)}",
                (len(ys) - 0.5, target),
                xytext=(0, 3),
                textcoords="offset points",
                ha="right",
                fontsize=7.5,
                color=VERMILION,
            )
        ax.set_xticks(range(len(ys)), [lbl.replace(" ", "\n") for lbl in labels])
        if percent:
            ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0f}%")
        else:
            ax.yaxis.set_major_formatter(lambda v, _pos: fmt(v) if v else "0")
        _style(ax)
        # Fixed margins rather than tight_layout: one draw instead of two, same look.
        widest = max((len(fmt(y)) for y in ys if not math.isnan(y)), default=1)
        fig.subplots_adjust(left=0.05 + 0.012 * widest, right=0.99, bottom=0.2, top=0.9)
    return _svg(fig, title)


def _short(y: float, percent: bool) -> str:
    if math.isnan(y):
        return ""
    if percent:
        return f"{y:.1f}%"
    return f"{y:,.0f}" if float(y).is_integer() or abs(y) >= 100 else f"{y:,.1f}"


def bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    title: str,
    *,
    percent: bool = False,
    stacked: bool = False,
    horizontal: bool = True,
    colours: Sequence[str] | None = None,
    width: float = 6.4,
) -> str:
    """Grouped or stacked bars, one group per category; withheld values are left out."""
    n = len(categories)
    height = max(1.6, 0.32 * n * (1 if stacked else max(1, len(series) * 0.6)) + 0.9)
    if not horizontal:
        height = 2.6
    fig = _figure(width, height)
    colours = list(colours or SERIES)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        k = len(series)
        thickness = 0.7 if stacked else 0.8 / max(k, 1)
        base = [0.0] * n
        for j, (name, vals) in enumerate(series.items()):
            ys = [0.0 if v is None else float(v) for v in vals]
            pos = list(range(n)) if stacked else [i - 0.4 + thickness * (j + 0.5) for i in range(n)]
            draw = ax.barh if horizontal else ax.bar
            kwargs = {"left" if horizontal else "bottom": base} if stacked else {}
            draw(pos, ys, thickness, label=name, color=colours[j % len(colours)], **kwargs)
            if stacked:
                base = [b + y for b, y in zip(base, ys, strict=True)]
        if horizontal:
            ax.set_yticks(range(n), categories)
            ax.invert_yaxis()
            axis = ax.xaxis
        else:
            ax.set_xticks(range(n), categories)
            axis = ax.yaxis
        if percent:
            axis.set_major_formatter(lambda v, _pos: f"{v:.0f}%")
        else:
            axis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
        _style(ax, "x" if horizontal else "y")
        if k > 1:
            ax.legend(
                frameon=False,
                fontsize=8,
                ncols=min(k, 4),
                loc="lower center",
                bbox_to_anchor=(0.5, 1.0),
            )
        fig.tight_layout(pad=0.4)
    return _svg(fig, title)
