"""The contacts graph: drawn by the generator as plain SVG, the same bytes for the same people."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.graphs import CONTACTS_HEIGHT, CONTACTS_LIMIT, CONTACTS_WIDTH, contacts_svg

SVG = "{http://www.w3.org/2000/svg}"
PARTICIPANTS = [
    ["Vladimir Putin", "Recep Tayyip Erdogan"],
    ["Vladimir Putin", "Recep Tayyip Erdogan", "Emmanuel Macron"],
    ["Vladimir Putin", "Recep Tayyip Erdogan"],
    ["Emmanuel Macron", "Volodymyr Zelenskyy"],
    ["Zeki Akturk"],  # seen, but with nobody: no line to draw, so no dot
    ["Donald Trump", "Steve Witkoff & Jared Kushner"],
]


def test_contacts_graph_draws_a_named_dot_per_person_seen_with_someone_and_a_line_per_pair():
    svg = ET.fromstring(contacts_svg(PARTICIPANTS))
    names = [text.text for text in svg.iter(f"{SVG}text")]
    assert sorted(names) == sorted(["Vladimir Putin", "Recep Tayyip Erdogan", "Emmanuel Macron",
                                    "Volodymyr Zelenskyy", "Donald Trump", "Steve Witkoff & Jared Kushner"])
    assert len(list(svg.iter(f"{SVG}circle"))) == len(names)
    widths = {float(line.get("stroke-width")) for line in svg.iter(f"{SVG}line")}
    assert len(list(svg.iter(f"{SVG}line"))) == 5  # Putin-Erdogan, Putin-Macron, Erdogan-Macron, Macron-Zelenskyy, Trump-Witkoff
    assert max(widths) > min(widths)  # Putin and Erdogan met three times, the others once or twice
    assert svg.get("aria-label") == "Contacts graph" and "contacts-graph" in svg.get("class")


def test_contacts_graph_keeps_every_dot_inside_the_picture():
    people = [f"Person {number}" for number in range(60)]
    participants = [[people[i % 60], people[(i * 7 + 3) % 60], people[(i * 11 + 5) % 60]] for i in range(300)]
    svg = ET.fromstring(contacts_svg(participants))
    dots = list(svg.iter(f"{SVG}circle"))
    assert 0 < len(dots) <= CONTACTS_LIMIT
    for dot in dots:
        x, y, radius = (float(dot.get(key)) for key in ("cx", "cy", "r"))
        assert radius <= x <= CONTACTS_WIDTH - radius and radius <= y <= CONTACTS_HEIGHT - radius


def test_contacts_graph_is_the_same_bytes_for_the_same_people_and_empty_without_pairs():
    assert contacts_svg(PARTICIPANTS) == contacts_svg([list(reversed(p)) for p in PARTICIPANTS])
    assert re.search(r"&amp; Jared Kushner</text>", contacts_svg(PARTICIPANTS))
    assert contacts_svg([["Zeki Akturk"], ["Donald Trump"]]) == ""
