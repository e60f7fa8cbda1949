"""Answer-cue lint: could a test-wise reader find the keys without reading the questions?

Item-writing research lists the cues that let people score on choice items without the
knowledge being tested (Millman, Bishop & Ebel 1965 on test-wiseness; Haladyna, Downing &
Rodriguez 2002, guidelines 24-28: keep options about equal in length, balance the key's
position, avoid patterns). A self-check that leaks its keys tells learners they know what they
do not. Each rule here measures one cue across the whole catalogue and compares it with what
chance would give if the key were any of the options. The statistical rules flag a pattern
only when chance explains it with probability below ``significance``, so small catalogues are
not punished for a few coincidences; they are two-sided (each tail at ``significance`` / 2),
because a key that is *never* the longest option is as easy to find as one that always is. The
length ratio is a plain limit, and the twin-option rule judges each item on its own.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from .model import AnswerCues, Catalogue, MultipleSelect, SingleChoice, option_letter

#: Above this many trials the Poisson-binomial tail uses the normal approximation (exact
#: is quadratic in the number of items; at this size the two agree to about 1e-3).
EXACT_TRIALS = 500


#: Words that join two actions into one option ("do X and Y, then Z"), by language. Punctuation
#: (comma, semicolon, colon) counts in every language.
CONJUNCTIONS = {
    "en": ("and", "then", "plus"),
    "de": ("und", "dann", "sowie"),
    "fr": ("et", "puis", "ensuite"),
    "es": ("y", "e", "luego", "después"),
    "it": ("e", "ed", "poi"),
    "nl": ("en", "dan", "daarna"),
    "pt": ("e", "depois", "então"),
}


@functools.cache
def _joiner(language: str) -> re.Pattern[str]:
    words = CONJUNCTIONS.get(language.split("-", maxsplit=1)[0].lower(), ())
    # A comma or colon inside a number ("480,000", "02:00") joins nothing.
    alternatives = [r"[,;:](?!\d)"] + ([rf"(?<!\S)(?:{'|'.join(map(re.escape, words))})(?!\S)"] if words else [])
    return re.compile("|".join(alternatives), re.IGNORECASE)


def parts(text: str, language: str = "en") -> int:
    """How many actions or clauses an option joins: 1 + its commas, semicolons, colons and
    joining words. "Do X, Y and then Z" is 4: the composite key that test-wise readers pick."""
    return 1 + len(_joiner(language).findall(" ".join(text.split())))


_WORD = re.compile(r"[^\W\d_]{4,}")


def _words(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in _WORD.findall(text))


def _contains(key_words: frozenset[str], words: frozenset[str]) -> bool:
    return len(words) >= 3 and len(key_words) > len(words) and len(words & key_words) >= 0.75 * len(words)


def contained(distractor: str, key: str) -> bool:
    """Whether ``key`` repeats ``distractor`` and adds to it: most of the distractor's words
    (of four letters or more, at least three of them) are in the key, and the key is longer."""
    return _contains(_words(key), _words(distractor))


#: Words for :func:`similarity`: letters and digits, so "90 days" and "90 minutes" share a word.
_TOKEN = re.compile(r"[^\W_]+")

#: How far the two most alike options of an item must lead its next most alike pair to count as
#: twins. Options written to one template ("Accountable: …; Responsible: …" in every option) are
#: all alike, and a reader cannot narrow them to two; in this project's catalogue the two most
#: alike pairs of a single-choice item are a median 0.05 apart, so twins lead by twice that.
TWIN_MARGIN = 0.1


def similarity(a: str, b: str) -> float:
    """How alike two options read, from 0 to 1: difflib's ratio over their words in order, case
    folded, punctuation ignored (twice the words they share in sequence over all their words)."""
    left = [w.casefold() for w in _TOKEN.findall(a)]
    right = [w.casefold() for w in _TOKEN.findall(b)]
    if not left or not right:
        return 0.0
    return difflib.SequenceMatcher(None, left, right, autojunk=False).ratio()


def _likeness(texts: Sequence[str]) -> tuple[tuple[float, int, int], ...]:
    """Every pair of options with its similarity, the most alike first."""
    pairs = ((similarity(texts[i], texts[j]), i, j) for i, j in itertools.combinations(range(len(texts)), 2))
    return tuple(sorted(pairs, key=lambda p: (-p[0], p[1], p[2])))


def _twins(likeness: Sequence[tuple[float, int, int]], threshold: float) -> tuple[float, float, int, int] | None:
    if not likeness or likeness[0][0] < threshold:
        return None
    best, i, j = likeness[0]
    runner_up = likeness[1][0] if len(likeness) > 1 else 0.0
    return (best, runner_up, i, j) if best - runner_up >= TWIN_MARGIN else None


def twin_pair(texts: Sequence[str], threshold: float) -> tuple[int, int] | None:
    """The two options that read as near twins: the most alike pair, if its :func:`similarity`
    reaches ``threshold`` and leads every other pair by :data:`TWIN_MARGIN`; else None."""
    found = _twins(_likeness(texts), threshold)
    return None if found is None else (found[2], found[3])


@dataclass(frozen=True)
class ChoiceItem:
    """What the cue rules see of one choice exercise: option lengths and key positions."""

    trait: str
    index: int  # position in the trait's ``exercises``
    single: bool
    lengths: tuple[int, ...]  # characters of each option, whitespace collapsed
    keys: tuple[int, ...]  # indices of the correct options
    parts: tuple[int, ...] = ()  # actions or clauses joined in each option (:func:`parts`)
    contains: tuple[tuple[int, int], ...] = ()  # (key, distractor): the key repeats it and adds
    likeness: tuple[tuple[float, int, int], ...] = ()  # (similarity, i, j) of every pair, most alike first

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
    language = catalogue.site.language
    items = []
    for trait in catalogue.traits:
        for index, exercise in enumerate(trait.exercises):
            if isinstance(exercise, (SingleChoice, MultipleSelect)):
                texts = [o.text for o in exercise.options]
                keys = tuple(i for i, o in enumerate(exercise.options) if o.correct)
                words = [_words(t) for t in texts]
                items.append(
                    ChoiceItem(
                        trait=trait.id,
                        index=index,
                        single=isinstance(exercise, SingleChoice),
                        lengths=tuple(len(" ".join(t.split())) for t in texts),
                        keys=keys,
                        parts=tuple(parts(t, language) for t in texts),
                        contains=tuple(
                            (k, d)
                            for k in keys
                            for d in range(len(texts))
                            if d not in keys and _contains(words[k], words[d])
                        ),
                        likeness=_likeness(texts),
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
    most_parts: Tally  # single-choice items whose key joins the most actions (one option alone)
    length_ratio: float | None  # geometric mean over choice items of key/distractor length
    key_counts: dict[int, int]  # multiple-select: number of keys → items
    positions: tuple[Tally, ...]  # single-choice keys at each option position
    multiple_positions: tuple[Tally, ...]  # multiple-select items keying each option position
    distinct_traits: Tally  # traits whose single-choice keys never share a position
    repeats: Tally  # consecutive single-choice keys of a trait at the same position


def _unique_extreme(values: tuple[int, ...], key: int, largest: bool = True) -> tuple[bool, float]:
    """(is the key the one option with the largest/smallest value, chance of that for a key at random)."""
    target = max(values) if largest else min(values)
    if values.count(target) != 1:
        return False, 0.0
    return values.index(target) == key, 1 / len(values)


def _extreme(item: ChoiceItem, longest: bool) -> tuple[bool, float]:
    return _unique_extreme(item.lengths, item.keys[0], largest=longest)


def _most_parts(item: ChoiceItem) -> tuple[bool, float]:
    return _unique_extreme(item.parts, item.keys[0]) if item.parts else (False, 0.0)


def _tally(singles: Sequence[ChoiceItem], measure: Callable[[ChoiceItem], tuple[bool, float]]) -> Tally:
    pairs = [measure(item) for item in singles]
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


def _multiple_positions(items: Sequence[ChoiceItem]) -> tuple[Tally, ...]:
    """For each letter, how many multiple-select items key it, against chance: an item with k keys
    among n options keys a given letter with probability k/n when keys are placed at random."""
    multiples = [i for i in items if not i.single and 0 < len(i.keys) < len(i.lengths)]
    width = max((len(i.lengths) for i in multiples), default=0)
    return tuple(
        Tally.of(
            [pos in i.keys for i in multiples if pos < len(i.lengths)],
            [len(i.keys) / len(i.lengths) for i in multiples if pos < len(i.lengths)],
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


def _singles(items: Sequence[ChoiceItem]) -> list[ChoiceItem]:
    """The single-choice items the position and extreme-option rules can judge."""
    return [i for i in items if i.single and len(i.keys) == 1 and len(i.lengths) >= 2]


def cue_figures(items: Sequence[ChoiceItem]) -> CueFigures:
    singles = _singles(items)
    groups = _by_trait(singles)
    return CueFigures(
        single_items=len(singles),
        choice_items=len(items),
        longest_key=_tally(singles, lambda i: _extreme(i, longest=True)),
        shortest_key=_tally(singles, lambda i: _extreme(i, longest=False)),
        most_parts=_tally(singles, _most_parts),
        length_ratio=_geometric_mean([r for i in items if (r := i.key_ratio()) is not None]),
        key_counts=dict(sorted(Counter(len(i.keys) for i in items if not i.single).items())),
        positions=_positions(singles),
        multiple_positions=_multiple_positions(items),
        distinct_traits=_distinct(groups),
        repeats=_repeats(groups),
    )


# --- Rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """One rule that fired: which setting it belongs to, and what to tell the author.

    A cue with ``option`` is about one item and is reported at that option of its trait file;
    the others are patterns across the catalogue, reported at their setting in catalogue.yml,
    naming ``examples``."""

    setting: str
    message: str
    examples: tuple[ChoiceItem, ...] = ()
    option: int | None = None


def letter(pos: int) -> str:
    """How messages and the summary name an option: A, B, C…"""
    return option_letter(pos).upper()


def _chance(t: Tally) -> str:
    return f"chance: {t.expected:.1f}"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _rarely(tally: Tally, what: str, alpha: float) -> str | None:
    """The message when the key is ``what`` far less often than chance (an over-correction is a
    cue too: a reader rules that option out), or None. Each tail is held to alpha / 2."""
    if tally.trials and tally.p_low < alpha / 2:
        return (
            f"the key is {what} in only {tally.observed} of {tally.trials} single-choice items "
            f"({_chance(tally)}, {_p(tally.p_low * 2)}): a reader rules that option out"
        )
    return None


def _length_cues(items: Sequence[ChoiceItem], fig: CueFigures, alpha: float) -> Iterator[Cue]:
    singles = _singles(items)
    for longest, tally in ((True, fig.longest_key), (False, fig.shortest_key)):
        word = "longest" if longest else "shortest"
        if tally.observed and tally.p_high < alpha / 2:
            hits = [i for i in singles if _extreme(i, longest)[0]]
            yield Cue(
                "longest_key",
                f"the key is the {word} option in {tally.observed} of {tally.trials} single-choice items "
                f"({_chance(tally)}, {_p(tally.p_high * 2)}): a reader who picks the {word} option scores "
                f"without reading; balance option lengths",
                tuple(hits),
            )
        elif (message := _rarely(tally, f"the {word} option", alpha)) is not None:
            yield Cue("longest_key", f"{message}; let the key be the {word} as often as any option")


def _parts_cues(items: Sequence[ChoiceItem], fig: CueFigures, alpha: float) -> Iterator[Cue]:
    tally = fig.most_parts
    if tally.observed and tally.p_high < alpha / 2:
        singles = _singles(items)
        yield Cue(
            "composite_key",
            f"the key joins the most actions (commas, 'and', 'then') in {tally.observed} of {tally.trials} "
            f"single-choice items ({_chance(tally)}, {_p(tally.p_high * 2)}): a reader who picks the option that "
            "does the most scores without reading; make keys one decisive action or distractors as composite",
            tuple(i for i in singles if _most_parts(i)[0]),
        )
    elif (message := _rarely(tally, "the option that joins the most actions", alpha)) is not None:
        yield Cue("composite_key", f"{message}; let the key be the most composite option as often as any")
    for item in items:
        for key, distractor in item.contains:
            yield Cue(
                "composite_key",
                f"the key repeats option {letter(distractor)} and adds to it: a reader picks the option that "
                "does the most; make the distractor a different mistake, not a part of the key",
                (item,),
                option=key,
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
                f"the key is option {letter(pos)} in {tally.observed} of {tally.trials} single-choice items "
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


def _multiple_position_cues(items: Sequence[ChoiceItem], fig: CueFigures, alpha: float) -> Iterator[Cue]:
    # Both tails at every position, so each test is held to alpha / (2 × positions) (Bonferroni).
    tests = 2 * len(fig.multiple_positions)
    for pos, tally in enumerate(fig.multiple_positions):
        for p_value, word in ((tally.p_high, "more"), (tally.p_low, "less")):
            if tally.trials and p_value * tests < alpha:
                yield Cue(
                    "multiple_key_positions",
                    f"option {letter(pos)} is a correct option in {tally.observed} of {tally.trials} "
                    f"multiple-select items ({_chance(tally)}, {_p(p_value * tests)}): it is keyed {word} often "
                    "than chance; move correct options to other letters",
                    tuple(
                        i
                        for i in items
                        if not i.single and pos < len(i.lengths) and (pos in i.keys) == (word == "more")
                    ),
                )


def _keys_at(item: ChoiceItem, pos: int) -> bool | None:
    """Whether a multiple-select item keys position ``pos``; None for items without it."""
    return None if item.single or pos >= len(item.lengths) else pos in item.keys


def _all_but_one_cues(items: Sequence[ChoiceItem]) -> Iterator[Cue]:
    for item in items:
        if not item.single and len(item.lengths) >= 3 and len(item.keys) == len(item.lengths) - 1:
            yield Cue(
                "all_but_one",
                f"every option but this one is correct ({len(item.keys)} of {len(item.lengths)}): the reader "
                "only has to spot the odd one out; make more options plausible mistakes",
                (item,),
                option=item.distractors[0],
            )


def _twin_cues(items: Sequence[ChoiceItem], threshold: float) -> Iterator[Cue]:
    for item in _singles(items):
        found = _twins(item.likeness, threshold)
        if found is None:
            continue
        best, runner_up, i, j = found
        key = item.keys[0]
        if key in (i, j):
            yield Cue(
                "twin_options",
                f"options {letter(i)} and {letter(j)} are near twins (word similarity {best:.2f}; the next most "
                f"alike pair {runner_up:.2f}) and the key is one of them: a reader narrows the choice to the pair "
                "without the knowledge; make the twins two distractors, or write the key in words of its own",
                (item,),
                option=key,
            )


def answer_cues(items: Sequence[ChoiceItem], rules: AnswerCues) -> list[Cue]:
    """Every cue in ``items`` that ``rules`` turns on, in a fixed order."""
    fig = cue_figures(items)
    cues: list[Cue] = []
    if rules.longest_key:
        cues += _length_cues(items, fig, rules.significance)
    if rules.composite_key:
        cues += _parts_cues(items, fig, rules.significance)
    if rules.key_length_ratio is not None:
        cues += _ratio_cue(items, fig, rules.key_length_ratio)
    if rules.same_key_count_share is not None:
        cues += _key_count_cue(items, fig, rules.same_key_count_share)
    if rules.key_positions:
        cues += _position_cues(fig, rules.significance)
    if rules.multiple_key_positions:
        cues += _multiple_position_cues(items, fig, rules.significance)
    if rules.all_but_one:
        cues += _all_but_one_cues(items)
    if rules.twin_options is not None:
        cues += _twin_cues(items, rules.twin_options)
    return cues
