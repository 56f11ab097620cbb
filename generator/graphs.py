"""Pictures drawn at build time from the briefings' data, as inline SVG readable without JavaScript:
a contacts graph (networkx lays it out, matplotlib draws it) and timelines (pygal bar charts).

Both are deterministic (same data, same bytes) so that unchanged pages are not rewritten."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

CONTACTS_LIMIT = 40
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
    """The people who appear most, joined when they appear in the same briefing."""
    appearances = Counter(name for people in participants for name in set(people))
    top = {name for name, _ in sorted(appearances.items(), key=lambda kv: (-kv[1], kv[0]))[:CONTACTS_LIMIT]}
    edges = {pair: weight for pair, weight in contacts_edges(participants).items()
             if pair[0] in top and pair[1] in top}
    if not edges:
        return ""
    import matplotlib
    import networkx as nx

    matplotlib.use("svg")
    from matplotlib.figure import Figure

    graph = nx.Graph()
    graph.add_nodes_from(sorted(top))
    for (a, b), weight in sorted(edges.items()):
        graph.add_edge(a, b, weight=weight)
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    layout = nx.spring_layout(graph, seed=7, k=1.2 / max(1, len(graph) ** 0.5), weight="weight")
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "briefings", "font.size": 9}):
        figure = Figure(figsize=(9, 6.5))
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_axis_off()
        widest = max(edges.values())
        nx.draw_networkx_edges(graph, layout, ax=axes, edge_color="#9fa8da",
                               width=[0.8 + 2.5 * graph[a][b]["weight"] / widest for a, b in graph.edges])
        nx.draw_networkx_nodes(graph, layout, ax=axes, node_color="#3f51b5",
                               node_size=[60 + 40 * appearances[n] for n in graph.nodes])
        nx.draw_networkx_labels(graph, {n: (x, y + 0.06) for n, (x, y) in layout.items()}, ax=axes,
                                font_size=9, font_color="#212121")
        axes.margins(0.12)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\n\s*\n", "\n", svg).replace("<svg ", '<svg role="img" aria-label="Contacts graph" class="contacts-graph" ', 1)
    return re.sub(r'(width|height)="[\d.]+pt"', "", svg, count=2)


class Pictures:
    """The drawing functions behind a disk cache keyed by their input, so a rebuild redraws only
    the pictures whose data changed (drawing is the slow part of rendering)."""

    def __init__(self, cache: Path | None):
        self.cache = cache

    def timeline(self, chart_id: str, dates: list[dt.date]) -> str:
        return self._cached("timeline", repr((chart_id, sorted(dates))), lambda: timeline_svg(chart_id, dates))

    def contacts(self, participants: list[list[str]]) -> str:
        return self._cached("contacts", repr(sorted(sorted(p) for p in participants)),
                            lambda: contacts_svg(participants))

    def _cached(self, kind: str, key: str, draw) -> str:
        if self.cache is None:
            return draw()
        path = self.cache / f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:24]}.svg"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            svg = draw()
            from generator.output import write_atomic
            write_atomic(path, svg)
            return svg
