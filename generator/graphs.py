"""Pictures drawn at build time from the briefings' data, as inline SVG readable without JavaScript:
a contacts graph (laid out and drawn here) and timelines (pygal bar charts).

Both are deterministic (same data, same bytes) so that unchanged pages are not rewritten."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import numpy as np

from generator.cache import page_version
from generator.output import write_atomic

CONTACTS_LIMIT = 40
CONTACTS_WIDTH, CONTACTS_HEIGHT, CONTACTS_MARGIN = 900, 650, 60
MONTHS_SHOWN = 24


def months_of(dates: list[dt.date]) -> list[tuple[str, int]]:
    """Briefings per month over the last MONTHS_SHOWN months that have any, with gaps as 0."""
    if not dates:
        return []
    counts = Counter(f"{d.year:04d}-{d.month:02d}" for d in dates)
    last = max(dates)
    first = max(min(dates), dt.date(last.year - MONTHS_SHOWN // 12, last.month, 1))
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        key = f"{year:04d}-{month:02d}"
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-MONTHS_SHOWN:]


def timeline_svg(chart_id: str, dates: list[dt.date]) -> str:
    """Bars of briefings per month; empty string when no briefing has a date."""
    months = months_of(dates)
    if not months:
        return ""
    import pygal
    from pygal.style import Style

    style = Style(background="transparent", plot_background="transparent", colors=("#3f51b5",),
                  foreground="#555", foreground_strong="#333", foreground_subtle="#ccc",
                  font_family="sans-serif", label_font_size=11, major_label_font_size=11)
    chart = pygal.Bar(js=[], style=style, show_legend=False, width=720, height=200,
                      disable_xml_declaration=True, x_label_rotation=-45, show_y_guides=True,
                      margin=8, spacing=4, print_values=False, tooltip_border_radius=0)
    top = max(count for _, count in months)
    chart.y_labels = list(range(0, top + 1, max(1, top // 5)))
    chart.x_labels = [label for label, _ in months]
    chart.add("Briefings", [count for _, count in months])
    svg = chart.render(is_unicode=True)
    return _stable_svg(svg, chart_id, "Briefings per month")


def _stable_svg(svg: str, chart_id: str, title: str) -> str:
    """pygal stamps a random id, a date and a config script into each chart; make it repeatable."""
    match = re.search(r'id="chart-([0-9a-f-]{36})"', svg)
    if match:
        svg = svg.replace(match.group(1), chart_id)
    svg = re.sub(r"<!--.*?-->", "", svg)
    svg = re.sub(r"<script[^>]*>.*?</script>", "", svg, flags=re.S)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" ', 1)


def contacts_edges(participants: list[list[str]]) -> Counter:
    """Who appeared with whom, counted over briefings (each briefing's people, pairwise)."""
    edges: Counter = Counter()
    for people in participants:
        for a, b in combinations(sorted(set(people)), 2):
            edges[(a, b)] += 1
    return edges


def contacts_svg(participants: list[list[str]]) -> str:
    """The people who appear most, joined when they appear in the same briefing: drawn as SVG
    here (a line, a dot and a name each), which took 0.75 s with matplotlib, most of it importing it."""
    appearances = Counter(name for people in participants for name in set(people))
    top = {name for name, _ in sorted(appearances.items(), key=lambda kv: (-kv[1], kv[0]))[:CONTACTS_LIMIT]}
    edges = {pair: weight for pair, weight in sorted(contacts_edges(participants).items())
             if pair[0] in top and pair[1] in top}
    if not edges:
        return ""
    names = sorted({name for pair in edges for name in pair})
    layout = spring_layout(names, edges)
    widest, most = max(edges.values()), max(appearances[name] for name in names)

    def at(name: str) -> tuple[float, float]:
        x, y = layout[name]
        return CONTACTS_MARGIN + (x + 1) / 2 * (CONTACTS_WIDTH - 2 * CONTACTS_MARGIN), \
            CONTACTS_MARGIN + (1 - y) / 2 * (CONTACTS_HEIGHT - 2 * CONTACTS_MARGIN)
    lines = [f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke-width="{0.8 + 2.5 * weight / widest:.2f}"/>'
             for (a, b), weight in edges.items() for (x1, y1), (x2, y2) in [(at(a), at(b))]]
    dots, labels = [], []
    for name in names:
        x, y = at(name)
        radius = 3 + 9 * (appearances[name] / most) ** 0.5
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}"><title>{html.escape(name)}: '
                    f'{appearances[name]} briefings</title></circle>')
        labels.append(f'<text x="{x:.1f}" y="{y - radius - 3:.1f}">{html.escape(name)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Contacts graph" class="contacts-graph" '
            f'viewBox="0 0 {CONTACTS_WIDTH} {CONTACTS_HEIGHT}">\n'
            f'<g stroke="#9fa8da" stroke-linecap="round">\n' + "\n".join(lines) + "\n</g>\n"
            f'<g fill="#3f51b5">\n' + "\n".join(dots) + "\n</g>\n"
            f'<g fill="#212121" font-family="sans-serif" font-size="12" text-anchor="middle">\n' + "\n".join(labels)
            + "\n</g>\n</svg>")


def spring_layout(names: list[str], edges: dict[tuple[str, str], int], iterations: int = 80) -> dict[str, tuple[float, float]]:
    """Positions in [-1, 1] from Fruchterman and Reingold's forces: every two people push each
    other apart, a line pulls its two ends together, the harder the more briefings it stands for.
    Seeded, so the same people and lines give the same picture."""
    index = {name: number for number, name in enumerate(names)}
    pull = np.zeros((len(names), len(names)))
    widest = max(edges.values())
    for (a, b), weight in edges.items():
        pull[index[a], index[b]] = pull[index[b], index[a]] = weight / widest
    positions = np.random.default_rng(7).random((len(names), 2))
    spacing = 1 / len(names) ** 0.5
    step = 0.1
    for _ in range(iterations):
        apart = positions[:, np.newaxis, :] - positions[np.newaxis, :, :]
        distance = np.maximum(np.linalg.norm(apart, axis=-1), 0.01)
        force = spacing ** 2 / distance ** 2 - pull * distance / spacing
        moves = np.einsum("ij,ijk->ik", force, apart)
        lengths = np.maximum(np.linalg.norm(moves, axis=-1), 0.01)
        positions += moves * (step / lengths)[:, np.newaxis]
        step -= 0.1 / (iterations + 1)
    positions -= positions.mean(axis=0)
    positions /= max(np.abs(positions).max(), 1e-9)
    return {name: (float(x), float(y)) for name, (x, y) in zip(names, positions)}


class Pictures:
    """The drawing functions behind a disk cache keyed by their input and by the code (as pages
    are, cache.page_version), so a rebuild redraws only the pictures whose data or drawing changed."""

    def __init__(self, cache: Path | None):
        self.cache = cache
        self._drawing = page_version().encode() if cache is not None else b""

    def timeline(self, chart_id: str, dates: list[dt.date]) -> str:
        return self._cached("timeline", repr((chart_id, sorted(dates))), lambda: timeline_svg(chart_id, dates))

    def contacts(self, participants: list[list[str]]) -> str:
        return self._cached("contacts", repr(sorted(sorted(p) for p in participants)),
                            lambda: contacts_svg(participants))

    def _cached(self, kind: str, key: str, draw) -> str:
        if self.cache is None:
            return draw()
        path = self.cache / f"{kind}-{hashlib.sha256(self._drawing + key.encode()).hexdigest()[:24]}.svg"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            svg = draw()
            write_atomic(path, svg)
            return svg
