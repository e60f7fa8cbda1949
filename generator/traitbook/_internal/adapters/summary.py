"""``check --summary`` and ``check --json``: the lint's counts, for people and for tools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..catalogue.cues import ChoiceItem, CueFigures, Tally, cue_figures, letter
from ..catalogue.lint import TraitStats

# (heading, attribute): the columns of the summary table.
COLUMNS = (
    ("trait", "id"),
    ("words", "explanation_words"),
    ("scenario", "scenario_words"),
    ("single", "single"),
    ("multi", "multiple"),
    ("reflect", "reflection"),
    ("tasks", "task"),
    ("reading", "reading"),
    ("related", "related"),
    ("ref'd by", "referenced_by"),
    ("terms", "terms"),
    ("fw refs", "references"),
)


def totals(stats: list[TraitStats]) -> dict[str, int]:
    return {attr: sum(getattr(s, attr) for s in stats) for _, attr in COLUMNS[1:]}


def summary_table(stats: list[TraitStats]) -> str:
    rows = [[str(getattr(s, attr)) for _, attr in COLUMNS] for s in stats]
    sums = totals(stats)
    rows.append([f"total ({len(stats)})", *(str(sums[attr]) for _, attr in COLUMNS[1:])])
    header = [h for h, _ in COLUMNS]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])])


def _share(t: Tally) -> str:
    if not t.trials:
        return "no items"
    return f"{t.observed} of {t.trials} ({t.observed / t.trials:.0%}; chance {t.expected / t.trials:.0%})"


def cue_summary(items: Sequence[ChoiceItem]) -> str:
    """The answer-cue figures for the whole catalogue and per trait (README: "Answer-cue lint")."""
    fig = cue_figures(items)
    ratio = "n/a" if fig.length_ratio is None else f"{fig.length_ratio:.2f}×"
    counts = ", ".join(f"{n} key{'s' if n != 1 else ''}: {k}" for n, k in fig.key_counts.items()) or "no items"
    positions = " · ".join(f"{letter(i)} {t.observed}" for i, t in enumerate(fig.positions)) or "no items"
    chance = " · ".join(f"{t.expected:.1f}" for t in fig.positions)
    keyed = " · ".join(f"{letter(i)} {t.observed}" for i, t in enumerate(fig.multiple_positions)) or "no items"
    keyed_chance = " · ".join(f"{t.expected:.1f}" for t in fig.multiple_positions)
    lines = [
        f"answer cues ({fig.choice_items} choice items, {fig.single_items} single-choice)",
        f"  key is the longest option         {_share(fig.longest_key)}",
        f"  key is the shortest option        {_share(fig.shortest_key)}",
        f"  key joins the most actions        {_share(fig.most_parts)}",
        f"  key/distractor length             {ratio} (geometric mean, characters)",
        f"  multiple-select key counts        {counts}",
        f"  key positions                     {positions}" + (f" (chance {chance})" if chance else ""),
        f"  multiple-select keyed positions   {keyed}" + (f" (chance {keyed_chance})" if keyed_chance else ""),
        f"  traits with no repeated position  {_share(fig.distinct_traits)}",
        f"  consecutive keys, same position   {_share(fig.repeats)}",
        "  per trait: key longest / single-choice, key with most actions / single-choice, key/distractor length, "
        "single-choice keys, multiple-select keys",
    ]
    for trait in sorted({i.trait for i in items}):
        own = [i for i in items if i.trait == trait]
        t_fig = cue_figures(own)
        t_ratio = "n/a" if t_fig.length_ratio is None else f"{t_fig.length_ratio:.2f}×"
        keys = "".join(letter(i.keys[0]) for i in own if i.single and len(i.keys) == 1) or "-"
        multi = ",".join(str(len(i.keys)) for i in own if not i.single) or "-"
        lines.append(
            f"    {trait}: {t_fig.longest_key.observed}/{t_fig.longest_key.trials}, "
            f"{t_fig.most_parts.observed}/{t_fig.most_parts.trials}, {t_ratio}, {keys}, {multi}"
        )
    return "\n".join(lines)


def cue_json(items: Sequence[ChoiceItem]) -> dict[str, Any]:
    fig: CueFigures = cue_figures(items)
    data = asdict(fig)
    data["key_counts"] = {str(k): v for k, v in fig.key_counts.items()}
    return data


def stats_json(stats: list[TraitStats], problems: list[str], items: Sequence[ChoiceItem] = ()) -> dict[str, Any]:
    traits = [{**asdict(s), "exercises": s.exercises} for s in stats]
    counts = {**totals(stats), "traits": len(stats), "exercises": sum(s.exercises for s in stats)}
    return {
        "traits": traits,
        "totals": counts,
        "answer_cues": cue_json(items),
        "problems": problems,
        "ok": not problems,
    }
