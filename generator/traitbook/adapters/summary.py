"""``check --summary`` and ``check --json``: the lint's counts, for people and for tools."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..catalogue.lint import TraitStats

# (heading, attribute): the columns of the summary table.
COLUMNS = (
    ("trait", "id"),
    ("words", "explanation_words"),
    ("scenario", "scenario_words"),
    ("single", "single"),
    ("multi", "multiple"),
    ("reflect", "reflection"),
    ("related", "related"),
    ("ref'd by", "referenced_by"),
    ("terms", "terms"),
    ("fw refs", "references"),
)


def _totals(stats: list[TraitStats]) -> dict[str, int]:
    return {attr: sum(getattr(s, attr) for s in stats) for _, attr in COLUMNS[1:]}


def summary_table(stats: list[TraitStats]) -> str:
    rows = [[str(getattr(s, attr)) for _, attr in COLUMNS] for s in stats]
    totals = _totals(stats)
    rows.append([f"total ({len(stats)})", *(str(totals[attr]) for _, attr in COLUMNS[1:])])
    header = [h for h, _ in COLUMNS]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])])


def stats_json(stats: list[TraitStats], problems: list[str]) -> dict[str, Any]:
    traits = [{**asdict(s), "exercises": s.exercises} for s in stats]
    totals = {**_totals(stats), "traits": len(stats), "exercises": sum(s.exercises for s in stats)}
    return {"traits": traits, "totals": totals, "problems": problems, "ok": not problems}
