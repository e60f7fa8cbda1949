"""Answer-cue lint: could a test-wise reader find the keys without reading the questions?

Item-writing research lists the cues that let people score on choice items without the
knowledge being tested (Millman, Bishop & Ebel 1965 on test-wiseness; Haladyna, Downing &
Rodriguez 2002, guidelines 24-28: keep options about equal in length, balance the key's
position, avoid patterns). A self-check that leaks its keys tells learners they know what they
do not. Each rule here measures one cue across the whole catalogue and compares it with what
chance would give if the key were any of the options. The statistical rules flag a pattern
only when chance explains it with probability below ``significance``, so small catalogues are
not punished for a few coincidences. The length ratio is a plain limit.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .model import AnswerCues, Catalogue, MultipleSelect, SingleChoice

#: Above this many trials the Poisson-binomial tail uses the normal approximation (exact
#: is quadratic in the number of items; at this size the two agree to about 1e-3).
EXACT_TRIALS = 500


@dataclass(frozen=True)
class ChoiceItem:
    """What the cue rules see of one choice exercise: option lengths and key positions."""

    trait: str
    index: int  # position in the trait's ``exercises``
    single: bool
    lengths: tuple[int, ...]  # characters of each option, whitespace collapsed
    keys: tuple[int, ...]  # indices of the correct options

    @property
    def distractors(self) -> tuple[int, ...]:
        return tuple(i for i in range(len(self.lengths)) if i not in self.keys)

    def key_ratio(self) -> float | None:
        """Mean key length over mean distractor length; None without both."""
        if not self.keys or not self.distractors:
            return None
        key = sum(self.lengths[i] for i in self.keys) / len(self.keys)
        other = sum(self.lengths[i] for i in self.distractors) / len(self.distractors)
        return key / other if other else None


def choice_items(catalogue: Catalogue) -> list[ChoiceItem]:
    items = []
    for trait in catalogue.traits:
        for index, exercise in enumerate(trait.exercises):
            if isinstance(exercise, (SingleChoice, MultipleSelect)):
                items.append(
                    ChoiceItem(
                        trait=trait.id,
                        index=index,
                        single=isinstance(exercise, SingleChoice),
                        lengths=tuple(len(" ".join(o.text.split())) for o in exercise.options),
                        keys=tuple(i for i, o in enumerate(exercise.options) if o.correct),
                    )
                )
    return items


# --- Probability -------------------------------------------------------------------------


def upper_tail(probs: Sequence[float], observed: int) -> float:
    """P(X ≥ observed), X the number of successes of independent trials with ``probs``."""
    if observed <= 0:
        return 1.0
    if observed > len(probs):
        return 0.0
    if len(probs) > EXACT_TRIALS:
        mean = sum(probs)
        var = sum(p * (1 - p) for p in probs)
        if var == 0:
            return 1.0 if observed <= mean else 0.0
        return 0.5 * math.erfc((observed - 0.5 - mean) / math.sqrt(2 * var))
    dist = [1.0]
    for p in probs:
        nxt = [0.0] * (len(dist) + 1)
        for k, q in enumerate(dist):
            nxt[k] += q * (1 - p)
            nxt[k + 1] += q * p
        dist = nxt
    return min(1.0, sum(dist[observed:]))


def lower_tail(probs: Sequence[float], observed: int) -> float:
    """P(X ≤ observed): the upper tail of the failures."""
    return upper_tail([1 - p for p in probs], len(probs) - observed)


def all_distinct_chance(option_counts: Sequence[int]) -> float:
    """Chance that items with these option counts, keys placed at random, never share a key
    position. Positions are prefixes (0..n-1), so taking items by increasing n, the i-th has
    n - i positions left."""
    chance = 1.0
    for used, n in enumerate(sorted(option_counts)):
        chance *= max(0, n - used) / n
    return chance


# --- Figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """An observed count against chance: ``expected`` and the tail probabilities."""

    observed: int
    trials: int
    expected: float
    p_high: float  # P(X ≥ observed) by chance
    p_low: float  # P(X ≤ observed) by chance

    @classmethod
    def of(cls, hits: Sequence[bool], probs: Sequence[float]) -> Tally:
        observed = sum(hits)
        return cls(observed, len(probs), sum(probs), upper_tail(probs, observed), lower_tail(probs, observed))


@dataclass(frozen=True)
class CueFigures:
    """Everything the rules measure; also printed by ``check --summary`` and ``--json``."""

    single_items: int
    choice_items: int
    longest_key: Tally  # single-choice items whose key is the one longest option
    shortest_key: Tally
    length_ratio: float | None  # geometric mean over choice items of key/distractor length
    key_counts: dict[int, int]  # multiple-select: number of keys → items
    positions: tuple[Tally, ...]  # single-choice keys at each option position
    distinct_traits: Tally  # traits whose single-choice keys never share a position
    repeats: Tally  # consecutive single-choice keys of a trait at the same position


def _extreme(item: ChoiceItem, longest: bool) -> tuple[bool, float]:
    """(is the key the one longest/shortest option, chance of that for a random key)."""
    target = max(item.lengths) if longest else min(item.lengths)
    if item.lengths.count(target) != 1:
        return False, 0.0
    return item.lengths.index(target) == item.keys[0], 1 / len(item.lengths)


def _length_tally(singles: Sequence[ChoiceItem], longest: bool) -> Tally:
    pairs = [_extreme(item, longest) for item in singles]
    return Tally.of([hit for hit, _ in pairs], [p for _, p in pairs])


def _geometric_mean(values: Sequence[float]) -> float | None:
    positive = [v for v in values if v > 0]
    return math.exp(sum(math.log(v) for v in positive) / len(positive)) if positive else None


def _by_trait(singles: Sequence[ChoiceItem]) -> list[list[ChoiceItem]]:
    groups: dict[str, list[ChoiceItem]] = {}
    for item in singles:
        groups.setdefault(item.trait, []).append(item)
    return list(groups.values())


def _positions(singles: Sequence[ChoiceItem]) -> tuple[Tally, ...]:
    width = max((len(i.lengths) for i in singles), default=0)
    return tuple(
        Tally.of(
            [i.keys[0] == pos for i in singles if pos < len(i.lengths)],
            [1 / len(i.lengths) for i in singles if pos < len(i.lengths)],
        )
        for pos in range(width)
    )


def _distinct(groups: Sequence[Sequence[ChoiceItem]]) -> Tally:
    groups = [g for g in groups if len(g) >= 2]
    return Tally.of(
        [len({i.keys[0] for i in g}) == len(g) for g in groups],
        [all_distinct_chance([len(i.lengths) for i in g]) for g in groups],
    )


def _repeats(groups: Sequence[Sequence[ChoiceItem]]) -> Tally:
    pairs = [pair for g in groups for pair in itertools.pairwise(g)]
    return Tally.of(
        [a.keys[0] == b.keys[0] for a, b in pairs],
        [1 / max(len(a.lengths), len(b.lengths)) for a, b in pairs],
    )


def cue_figures(items: Sequence[ChoiceItem]) -> CueFigures:
    singles = [i for i in items if i.single and len(i.keys) == 1 and len(i.lengths) >= 2]
    groups = _by_trait(singles)
    return CueFigures(
        single_items=len(singles),
        choice_items=len(items),
        longest_key=_length_tally(singles, longest=True),
        shortest_key=_length_tally(singles, longest=False),
        length_ratio=_geometric_mean([r for i in items if (r := i.key_ratio()) is not None]),
        key_counts=dict(sorted(Counter(len(i.keys) for i in items if not i.single).items())),
        positions=_positions(singles),
        distinct_traits=_distinct(groups),
        repeats=_repeats(groups),
    )


# --- Rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One rule that fired: which setting it belongs to, and what to tell the author."""

    setting: str
    message: str
    examples: tuple[ChoiceItem, ...] = ()


def _letter(pos: int) -> str:
    return chr(ord("A") + pos) if pos < 26 else str(pos + 1)


def _chance(t: Tally) -> str:
    return f"chance: {t.expected:.1f}"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _length_cues(items: Sequence[ChoiceItem], fig: CueFigures, alpha: float) -> Iterator[Cue]:
    singles = [i for i in items if i.single and len(i.keys) == 1 and len(i.lengths) >= 2]
    for longest, tally in ((True, fig.longest_key), (False, fig.shortest_key)):
        word = "longest" if longest else "shortest"
        if tally.observed and tally.p_high < alpha:
            hits = [i for i in singles if _extreme(i, longest)[0]]
            yield Cue(
                "longest_key",
                f"the key is the {word} option in {tally.observed} of {tally.trials} single-choice items "
                f"({_chance(tally)}, {_p(tally.p_high)}): a reader who picks the {word} option scores "
                f"without reading; balance option lengths",
                tuple(hits),
            )


def _ratio_cue(items: Sequence[ChoiceItem], fig: CueFigures, limit: float) -> Iterator[Cue]:
    ratio = fig.length_ratio
    if ratio is None or 1 / limit <= ratio <= limit:
        return
    word = "longer" if ratio > 1 else "shorter"
    worst = sorted(
        (i for i in items if i.key_ratio() is not None),
        key=lambda i: -abs(math.log(i.key_ratio() or 1.0)),
    )
    yield Cue(
        "key_length_ratio",
        f"keys are {ratio:.2f}× the length of distractors (geometric mean over {fig.choice_items} choice items; "
        f"allowed {1 / limit:.2f}–{limit:.2f}×): keys are systematically {word}; write distractors as full, "
        "plausible answers and keys as plainly as they are",
        tuple(worst),
    )


def _key_count_cue(items: Sequence[ChoiceItem], fig: CueFigures, share: float) -> Iterator[Cue]:
    total = sum(fig.key_counts.values())
    if total < 2:
        return
    count, most = max(fig.key_counts.items(), key=lambda kv: (kv[1], -kv[0]))
    if most / total > share:
        yield Cue(
            "same_key_count_share",
            f"{most} of {total} multiple-select items have exactly {count} correct option"
            f"{'s' if count != 1 else ''} (allowed: {share:.0%} of them): a reader learns how many to tick; "
            "vary the number of correct options",
            tuple(i for i in items if not i.single and len(i.keys) == count),
        )


def _position_cues(fig: CueFigures, alpha: float) -> Iterator[Cue]:
    # One test per position, so each is held to alpha / positions (Bonferroni).
    width = len(fig.positions)
    for pos, tally in enumerate(fig.positions):
        if tally.observed and tally.p_high * width < alpha:
            yield Cue(
                "key_positions",
                f"the key is option {_letter(pos)} in {tally.observed} of {tally.trials} single-choice items "
                f"({_chance(tally)}, {_p(tally.p_high * width)}); spread keys across positions",
            )
    d = fig.distinct_traits
    if d.trials and d.p_high < alpha:
        yield Cue(
            "key_positions",
            f"in {d.observed} of {d.trials} traits no two single-choice keys share a position "
            f"({_chance(d)}, {_p(d.p_high)}): a reader rules out letters already used on the page; "
            "let positions repeat as chance would",
        )
    r = fig.repeats
    if r.trials and r.p_low < alpha / 2:
        yield Cue(
            "key_positions",
            f"consecutive single-choice keys share a position in {r.observed} of {r.trials} pairs "
            f"({_chance(r)}, {_p(r.p_low * 2)}): the sequence avoids repeats, which is itself a pattern",
        )
    elif r.trials and r.p_high < alpha / 2:
        yield Cue(
            "key_positions",
            f"consecutive single-choice keys share a position in {r.observed} of {r.trials} pairs "
            f"({_chance(r)}, {_p(r.p_high * 2)}): a reader can follow the previous answer's letter",
        )


def answer_cues(items: Sequence[ChoiceItem], rules: AnswerCues) -> list[Cue]:
    """Every cue in ``items`` that ``rules`` turns on, in a fixed order."""
    fig = cue_figures(items)
    cues: list[Cue] = []
    if rules.longest_key:
        cues += _length_cues(items, fig, rules.significance)
    if rules.key_length_ratio is not None:
        cues += _ratio_cue(items, fig, rules.key_length_ratio)
    if rules.same_key_count_share is not None:
        cues += _key_count_cue(items, fig, rules.same_key_count_share)
    if rules.key_positions:
        cues += _position_cues(fig, rules.significance)
    return cues
