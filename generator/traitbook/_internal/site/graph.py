"""The traits and their relations as a drawing: positions computed here, the SVG in a template.

The layout is a circle in navigation order (categories as declared, traits by title), so a
category's traits sit together and the same catalogue always gives the same drawing. Each
related pair is one curve bowed towards the centre; when both traits name the other, the
curve carries both reasons. Above :data:`MAX_NODES` traits a drawing is unreadable, and the
overview shows none (every trait page lists its relations in words).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..catalogue.model import Category, Trait
from ..plan import Plan

MAX_NODES = 40
#: Drawing units (about pixels at the content column's width): labels need room outside the circle.
WIDTH = 780
HEIGHT = 560
RADIUS = 200
DOT = 11
LINE = 17  # label line height
LABEL_CHARS = 20  # labels wrap at spaces to lines of about this many characters


@dataclass(frozen=True)
class Label:
    """A trait's title outside a circle of points, wrapped."""

    anchor: str  # text-anchor: "start" right of the centre, "end" left of it, "middle" above or below
    lines: tuple[str, ...]
    x: float
    y: float  # baseline of the first line


def directions(count: int) -> list[tuple[float, float]]:
    """Cosine and sine of ``count`` spokes, clockwise from the top."""
    angles = (-math.pi / 2 + 2 * math.pi * i / count for i in range(count))
    return [(math.cos(a), math.sin(a)) for a in angles]


def label(title: str, width: int, centre: tuple[float, float], gap: float, spoke: tuple[float, float]) -> Label:
    """``title`` placed ``gap`` from ``centre`` along ``spoke`` (its cosine and sine): beside the
    point and centred on it, or above or below it near the vertical axis."""
    (cx, cy), (cos, sin) = centre, spoke
    lines = wrap(title, width)
    if abs(cos) > 0.2:
        anchor, first = ("start" if cos > 0 else "end"), cy + gap * sin + 5 - (len(lines) - 1) * LINE / 2
    else:
        anchor, first = "middle", cy + gap * sin + (13 if sin > 0 else -(len(lines) - 1) * LINE - 3)
    return Label(anchor, lines, _r(cx + gap * cos), _r(first))


@dataclass(frozen=True)
class Node:
    trait: Trait
    category: int  # index of the trait's category: its colour class
    x: float
    y: float
    label: Label


@dataclass(frozen=True)
class Edge:
    a: Node
    b: Node
    reasons: tuple[str, ...]  # a's reason for b, then b's for a (when given)
    path: str  # SVG path data


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    categories: tuple[Category, ...]  # in declared order: the colour classes' order
    width: int = WIDTH
    height: int = HEIGHT
    dot: int = DOT  # the layout leaves room for dots of this radius
    line: int = LINE


def _r(value: float) -> float:
    """Rounded so the output bytes never depend on floating-point noise."""
    return round(value, 1) + 0.0


def wrap(title: str, width: int = LABEL_CHARS) -> tuple[str, ...]:
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines)


def layout(plan: Plan) -> Graph | None:
    traits = plan.ordered_traits
    if not 2 <= len(traits) <= MAX_NODES:
        return None
    category_index = {c.category.id: i for i, c in enumerate(plan.categories)}
    cx, cy = WIDTH / 2, HEIGHT / 2
    nodes: dict[str, Node] = {}
    for trait, (cos, sin) in zip(traits, directions(len(traits)), strict=True):
        nodes[trait.id] = Node(
            trait,
            category_index[trait.category],
            _r(cx + RADIUS * cos),
            _r(cy + RADIUS * sin),
            label(trait.title, LABEL_CHARS, (cx, cy), RADIUS + DOT + 6, (cos, sin)),
        )
    return Graph(tuple(nodes.values()), _edges(traits, nodes, cx, cy), tuple(c.category for c in plan.categories))


def _edges(traits: tuple[Trait, ...], nodes: dict[str, Node], cx: float, cy: float) -> tuple[Edge, ...]:
    reasons: dict[tuple[str, str], dict[str, str]] = {}
    for trait in traits:
        for rel in trait.related:
            if rel.id in nodes:
                pair = (trait.id, rel.id) if trait.id < rel.id else (rel.id, trait.id)
                reasons.setdefault(pair, {})[trait.id] = rel.reason
    edges = []
    for (first, second), by in sorted(reasons.items()):
        a, b = nodes[first], nodes[second]
        # A quadratic curve whose control point is the chord's middle pulled halfway to the centre.
        qx, qy = _r(((a.x + b.x) / 2 + cx) / 2), _r(((a.y + b.y) / 2 + cy) / 2)
        ordered = tuple(by[k] for k in (first, second) if k in by)
        edges.append(Edge(a, b, ordered, f"M{a.x} {a.y}Q{qx} {qy} {b.x} {b.y}"))
    return tuple(edges)


# ---- the self-assessment radar -----------------------------------------------------------

RADAR_WIDTH = 640
RADAR_HEIGHT = 440
RADAR_RADIUS = 150


@dataclass(frozen=True)
class Axis:
    trait: Trait
    x: float  # the axis' end, at the top level of the scale
    y: float
    label: Label


@dataclass(frozen=True)
class Radar:
    """The frame of the radar chart: one axis per trait and one ring per level. selfcheck.js
    draws the series on it, reading each axis' end (a level's point is that fraction of it)."""

    axes: tuple[Axis, ...]
    rings: tuple[str, ...]  # polygon points, lowest level first
    cx: float = RADAR_WIDTH / 2
    cy: float = RADAR_HEIGHT / 2
    width: int = RADAR_WIDTH
    height: int = RADAR_HEIGHT
    line: int = LINE


def radar(plan: Plan) -> Radar | None:
    traits = plan.ordered_traits
    levels = len(plan.catalogue.site.self_assessment.levels)
    if not 3 <= len(traits) <= MAX_NODES:  # fewer than three axes draw no area
        return None
    cx, cy = RADAR_WIDTH / 2, RADAR_HEIGHT / 2
    ends = directions(len(traits))
    axes = tuple(
        Axis(trait, _r(cx + RADAR_RADIUS * cos), _r(cy + RADAR_RADIUS * sin),
             label(trait.title, 18, (cx, cy), RADAR_RADIUS + 10, (cos, sin)))
        for trait, (cos, sin) in zip(traits, ends, strict=True)
    )  # fmt: skip
    rings = tuple(
        " ".join(f"{_r(cx + RADAR_RADIUS * k / levels * c)},{_r(cy + RADAR_RADIUS * k / levels * s)}" for c, s in ends)
        for k in range(1, levels + 1)
    )
    return Radar(axes, rings)
