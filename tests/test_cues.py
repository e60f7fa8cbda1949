"""Answer-cue lint: each test-wise cue in a catalogue fails ``check`` with its own message;
a balanced catalogue passes; every rule can be switched off; the probabilities are exact."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import run_cli
from traitbook._internal.catalogue import cues
from traitbook._internal.catalogue.cues import ChoiceItem, all_distinct_chance, lower_tail, upper_tail

CAT = "catalogue/catalogue.yml"
SYLLABLES = ["ka", "lo", "mi", "nu", "pe", "ri", "so", "tu"]


def text_of(length: int, tag: int) -> str:
    """Option text of exactly ``length`` characters, sharing no word with another ``tag``'s."""
    words = (SYLLABLES[tag % 8] + SYLLABLES[k % 8] + SYLLABLES[k // 8 % 8] for k in range(60))
    text = f"option{tag} " + " ".join(words)
    text = text[:length]
    return text[:-1] + "z" if text.endswith(" ") else text


@dataclass(frozen=True)
class Single:
    key: int  # position of the key
    rank: int  # 1 = the key is the longest option, 4 = the shortest
    lengths: tuple[int, ...] = (110, 105, 100, 95)  # by rank
    composite: bool = False  # the key joins three actions with commas; distractors are one each


@dataclass(frozen=True)
class Multi:
    keys: tuple[int, ...]
    key_length: int = 100
    other_length: int = 100
    options: int = 5


def composite(text: str) -> str:
    """The same number of characters, as three actions joined by commas."""
    words = text.split(" ")
    return (" ".join(words[:2]) + ", " + " ".join(words[2:4]) + ", " + " ".join(words[4:]))[: len(text)]


def single_yaml(index: int, item: Single) -> str:
    others = [n for r, n in enumerate(item.lengths, start=1) if r != item.rank]
    lengths = others[:]
    lengths.insert(item.key, item.lengths[item.rank - 1])
    texts = [text_of(n, j) for j, n in enumerate(lengths)]
    if item.composite:
        texts[item.key] = composite(texts[item.key])
    options = "".join(
        f"      - text: {texts[j]}\n"
        + ("        correct: true\n" if j == item.key else "")
        + "        feedback: Because of the reasons given here.\n"
        for j, n in enumerate(lengths)
    )
    return f"  - id: s{index}\n    kind: single\n    question: Which one?\n    options:\n{options}"


def multi_yaml(index: int, item: Multi) -> str:
    options = "".join(
        f"      - text: {text_of(item.key_length if j in item.keys else item.other_length, j)}\n"
        + ("        correct: true\n" if j in item.keys else "")
        + "        feedback: Because of the reasons given here.\n"
        for j in range(item.options)
    )
    return f"  - id: m{index}\n    kind: multiple\n    question: Which ones?\n    options:\n{options}"


def write_catalogue(root: Path, traits: list[list[Single | Multi]], cue_rules: str | None = "{}") -> None:
    folder = root / "catalogue" / "traits"
    folder.mkdir(parents=True)
    (root / "docs").mkdir()
    rules = "" if cue_rules is None else f"minimums:\n  answer_cues: {cue_rules}\n"
    (root / CAT).write_text(
        f"title: Cues\ndescription: Cue fixtures.\ncategories:\n  - id: all\n    title: All\n{rules}",
        encoding="utf-8",
    )
    for t, items in enumerate(traits):
        exercises = "".join(
            single_yaml(i, item) if isinstance(item, Single) else multi_yaml(i, item) for i, item in enumerate(items)
        )
        (folder / f"t{t}.yml").write_text(
            f"id: t{t}\ntitle: Trait {t}\ncategory: all\nsummary: A trait.\n"
            f"sections:\n  - title: About\n    body: Text.\nexercises:\n{exercises}",
            encoding="utf-8",
        )


# A catalogue written with care: key positions as a die would give them (repeats within a
# trait, one trait with four different letters), key length ranks spread 4/4/4/4, option
# lengths within 15 %, multiple-select items with 1, 2 and 3 keys.
BALANCED_POSITIONS = [(0, 2, 2, 3), (1, 1, 3, 0), (3, 0, 2, 1), (2, 3, 0, 0)]
BALANCED_RANKS = [(2, 4, 1, 3), (3, 1, 2, 4), (4, 2, 3, 1), (1, 3, 4, 2)]
BALANCED_MULTI = [Multi((1,)), Multi((0, 3)), Multi((1, 2, 4)), Multi((0, 4))]


def balanced(
    positions: Sequence[Sequence[int]] = BALANCED_POSITIONS,
    ranks: Sequence[Sequence[int]] = BALANCED_RANKS,
    multi: Sequence[Multi] = BALANCED_MULTI,
) -> list[list[Single | Multi]]:
    traits: list[list[Single | Multi]] = [
        [Single(p, r) for p, r in zip(pos, rank, strict=True)] for pos, rank in zip(positions, ranks, strict=True)
    ]
    for t, item in enumerate(multi):
        traits[t % len(traits)].append(item)
    return traits


def check(root: Path) -> tuple[int, list[str]]:
    result = run_cli("--root", str(root), "check")
    assert "Traceback" not in result.err
    return result.code, [line for line in result.err.splitlines() if "answer cue" in line]


def test_a_balanced_catalogue_passes(tmp_path: Path) -> None:
    write_catalogue(tmp_path, balanced())
    assert check(tmp_path) == (0, [])


LONGEST = [tuple(1 for _ in range(4))] * 4
SHORTEST = [tuple(4 for _ in range(4))] * 4
ONE_PER_TRAIT = [(0, 2, 1, 3), (2, 3, 0, 1), (3, 1, 2, 0), (1, 0, 3, 2)]
SAME_IN_TRAIT = [(0, 0, 0, 0), (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)]
MOSTLY_A = [(0, 0, 0, 1), (0, 0, 2, 0), (0, 3, 0, 0), (0, 0, 0, 1)]

# (name, catalogue, rules, the setting named in the problem's path, words of the message)
CUE_CASES = [
    ("longest", balanced(ranks=LONGEST), "{}", "longest_key", "the key is the longest option in 16 of 16"),
    ("shortest", balanced(ranks=SHORTEST), "{}", "longest_key", "the key is the shortest option in 16 of 16"),
    (
        "ratio",
        [[Single(p, 1, (200, 100, 95, 90)) for p in pos] for pos in BALANCED_POSITIONS],
        "{longest_key: false}",
        "key_length_ratio",
        "keys are 2.11× the length of distractors",
    ),
    (
        "ratio-short",
        [[Single(p, 4, (110, 105, 100, 40)) for p in pos] for pos in BALANCED_POSITIONS],
        "{longest_key: false}",
        "key_length_ratio",
        "keys are systematically shorter",
    ),
    (
        "key-count",
        balanced(multi=[Multi((0, 1, 3)), Multi((1, 2, 4)), Multi((0, 2, 3)), Multi((0, 1, 2))]),
        "{}",
        "same_key_count_share",
        "4 of 4 multiple-select items have exactly 3 correct options",
    ),
    (
        "composite",
        [
            [Single(p, r, composite=True) for p, r in zip(pos, rank, strict=True)]
            for pos, rank in zip(BALANCED_POSITIONS, BALANCED_RANKS, strict=True)
        ],
        "{}",
        "composite_key",
        "the key joins the most actions (commas, 'and', 'then') in 16 of 16",
    ),
    (
        "never-longest",
        balanced(ranks=[(2, 3, 2, 3)] * 4),
        "{}",
        "longest_key",
        "the key is the longest option in only 0 of 16 single-choice items",
    ),
    ("letter", balanced(positions=MOSTLY_A), "{}", "key_positions", "the key is option A in 12 of 16"),
    ("one-per-trait", balanced(positions=ONE_PER_TRAIT), "{}", "key_positions", "in 4 of 4 traits no two"),
    ("runs", balanced(positions=SAME_IN_TRAIT), "{}", "key_positions", "share a position in 12 of 12 pairs"),
    (
        "multiple-letter",
        balanced(multi=[Multi((0,)), Multi((0, 2)), Multi((0, 3)), Multi((0, 4))] * 2),
        "{same_key_count_share: null}",
        "multiple_key_positions",
        "option A is a correct option in 8 of 8 multiple-select items",
    ),
    (
        "multiple-letter-avoided",
        balanced(multi=[Multi((1, 2)), Multi((1, 3)), Multi((2, 4)), Multi((3, 4)), Multi((1, 2, 3))] * 3),
        "{same_key_count_share: null}",
        "multiple_key_positions",
        "option A is a correct option in 0 of 15 multiple-select items",
    ),
    (
        "no-repeats",
        [[Single(p, r) for p, r in zip(pos, (1, 2, 3, 4, 1), strict=True)] for pos in [(0, 1, 0, 2, 1)] * 3]
        + [[Single(p, r) for p, r in zip(pos, (4, 3, 2, 1, 4), strict=True)] for pos in [(2, 3, 2, 3, 1)] * 3],
        "{}",
        "key_positions",
        "share a position in 0 of 24 pairs",
    ),
]


@pytest.mark.parametrize(("name", "traits", "rules", "setting", "words"), CUE_CASES, ids=[c[0] for c in CUE_CASES])
def test_each_cue_fails_check_with_its_message(
    tmp_path: Path, name: str, traits: list[list[Single | Multi]], rules: str, setting: str, words: str
) -> None:
    write_catalogue(tmp_path, traits, rules)
    code, lines = check(tmp_path)
    assert code == 2
    hits = [line for line in lines if f": minimums.answer_cues.{setting}: answer cue: " in line and words in line]
    assert hits, lines
    assert all(line.startswith(f"{CAT}:7:3: ") for line in hits), hits
    # The lint is check's alone: build still previews the draft.
    assert run_cli("--root", str(tmp_path), "generate", "--no-handbook").code == 0


def test_an_item_keying_all_but_one_option_is_reported_at_the_odd_one_out(tmp_path: Path) -> None:
    traits = balanced(multi=[Multi((1,)), Multi((0, 3)), Multi((0, 1, 2, 4)), Multi((0, 4))])
    write_catalogue(tmp_path, traits)
    code, lines = check(tmp_path)
    assert code == 2
    # Multi((0, 1, 2, 4)) went to trait t2, after its four single-choice items: exercises[4];
    # option D (index 3) is the one distractor.
    assert len(lines) == 1 and lines[0].startswith("catalogue/traits/t2.yml:"), lines
    assert ": exercises[4].options[3].text: answer cue: every option but this one is correct (4 of 5)" in lines[0]
    write_catalogue(tmp_path / "off", traits, "{all_but_one: false}")
    assert check(tmp_path / "off") == (0, [])


def test_messages_point_to_items(tmp_path: Path) -> None:
    write_catalogue(tmp_path, balanced(ranks=LONGEST))
    _, lines = check(tmp_path)
    assert "(e.g. catalogue/traits/t0.yml:9 s0; catalogue/traits/t0.yml:" in lines[0], lines


ALL_CUES = [[Single(0, 1, (200, 100, 95, 90), True) for _ in range(4)] + [Multi((0,))] for _ in range(4)]


def test_all_cues_at_once_then_every_rule_off(tmp_path: Path) -> None:
    write_catalogue(tmp_path / "on", ALL_CUES)
    code, lines = check(tmp_path / "on")
    settings = {line.split(": ")[1] for line in lines}
    assert code == 2
    rules = (
        "longest_key",
        "composite_key",
        "key_length_ratio",
        "same_key_count_share",
        "key_positions",
        "multiple_key_positions",
    )
    assert settings == {f"minimums.answer_cues.{s}" for s in rules}
    off = (
        "{longest_key: false, composite_key: false, key_length_ratio: null, same_key_count_share: null, "
        "key_positions: false, multiple_key_positions: false, all_but_one: false}"
    )
    write_catalogue(tmp_path / "off", ALL_CUES, off)
    assert check(tmp_path / "off") == (0, [])
    write_catalogue(tmp_path / "absent", ALL_CUES, None)
    assert check(tmp_path / "absent") == (0, []), "the lint is off unless a catalogue turns it on"


def test_significance_decides_small_patterns(tmp_path: Path) -> None:
    # The key is the longest in 3 of 4 items of one trait: p = 0.051 by chance (one tail; the rules
    # are two-sided, so that is 0.10).
    few: list[list[Single | Multi]] = [
        [Single(0, 1), Single(1, 1), Single(2, 1), Single(3, 2), Multi((0,)), Multi((0, 1))]
    ]
    write_catalogue(tmp_path / "a", few, "{significance: 0.2}")
    assert any("longest option in 3 of 4" in line for line in check(tmp_path / "a")[1])
    write_catalogue(tmp_path / "b", few, "{significance: 0.05}")
    assert check(tmp_path / "b") == (0, [])


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("{significance: 0.7}", "answer_cues.significance: "),
        ("{key_length_ratio: 0.8}", "answer_cues.key_length_ratio: "),
        ("{same_key_count_share: 0}", "answer_cues.same_key_count_share: "),
        ("{longest: true}", "answer_cues.longest: unknown key 'longest'"),
        ("yes", "minimums.answer_cues: "),
    ],
)
def test_bad_settings_are_catalogue_errors(tmp_path: Path, rules: str, message: str) -> None:
    write_catalogue(tmp_path, balanced(), rules)
    result = run_cli("--root", str(tmp_path), "check")
    assert result.code == 2 and "Traceback" not in result.err
    assert any(line.startswith(f"{CAT}:") and message in line for line in result.err.splitlines()), result.err


def test_summary_and_json_show_the_figures(tmp_path: Path) -> None:
    write_catalogue(tmp_path, balanced(ranks=LONGEST, multi=[Multi((0, 1)), Multi((2,))]))
    summary = run_cli("--root", str(tmp_path), "check", "--summary")
    assert "key is the longest option         16 of 16 (100%; chance 25%)" in summary.out
    assert "multiple-select key counts        1 key: 1, 2 keys: 1" in summary.out
    assert "key positions                     A 5 · B 3 · C 4 · D 4 (chance 4.0 · 4.0 · 4.0 · 4.0)" in summary.out
    assert "    t0: 4/4, " in summary.out and ", ACCD, 2" in summary.out
    data = json.loads(run_cli("--root", str(tmp_path), "check", "--json").out)
    fig = data["answer_cues"]
    assert fig["longest_key"]["observed"] == 16 and fig["longest_key"]["trials"] == 16
    assert fig["key_counts"] == {"1": 1, "2": 1}
    assert [p["observed"] for p in fig["positions"]] == [5, 3, 4, 4]
    assert data["ok"] is False


# --- The probabilities ----------------------------------------------------------------------


def brute_tail(probs: list[float], observed: int) -> float:
    total = 0.0
    for outcome in itertools.product((0, 1), repeat=len(probs)):
        if sum(outcome) >= observed:
            total += math.prod(p if o else 1 - p for o, p in zip(outcome, probs, strict=True))
    return total


@pytest.mark.parametrize("probs", [[0.25] * 6, [0.2, 0.25, 1 / 3, 0.5, 0.0, 1.0], [0.1, 0.9, 0.3]])
def test_tails_match_enumeration(probs: list[float]) -> None:
    for k in range(len(probs) + 2):
        assert upper_tail(probs, k) == pytest.approx(brute_tail(probs, k), abs=1e-12)
        assert lower_tail(probs, k) == pytest.approx(1 - brute_tail(probs, k + 1), abs=1e-12)


def test_the_normal_approximation_is_close_to_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    probs = [0.25] * 300 + [1 / 3] * 300
    exact = [upper_tail(probs, k) for k in (150, 170, 190)]
    monkeypatch.setattr(cues, "EXACT_TRIALS", 100)
    approx = [upper_tail(probs, k) for k in (150, 170, 190)]
    assert approx == pytest.approx(exact, abs=2e-3)


@pytest.mark.parametrize("counts", [[4, 4, 4, 4], [3, 4, 5], [2, 2, 2], [2, 5], [4]])
def test_all_distinct_chance_matches_enumeration(counts: list[int]) -> None:
    outcomes = list(itertools.product(*(range(n) for n in counts)))
    distinct = sum(len(set(o)) == len(o) for o in outcomes)
    assert all_distinct_chance(counts) == pytest.approx(distinct / len(outcomes))


def test_ties_never_count_as_longest() -> None:
    tie = ChoiceItem("t", 0, True, (100, 100, 90), (0,))
    fig = cues.cue_figures([tie])
    assert fig.longest_key.observed == 0 and fig.longest_key.expected == 0


def test_a_key_that_repeats_a_distractor_is_reported_at_the_item(tmp_path: Path) -> None:
    write_catalogue(tmp_path, balanced())
    trait = tmp_path / "catalogue" / "traits" / "t1.yml"
    lines = trait.read_text(encoding="utf-8").splitlines()
    # The first item of t1 has its key at B (second option): make it option A plus more.
    first, second = [i for i, line in enumerate(lines) if line.startswith("      - text: option")][:2]
    distractor = "Restore the server from backup tonight and tell the owner"
    lines[first] = f"      - text: {distractor}"
    lines[second] = f"      - text: {distractor}, then rotate every stored password"
    trait.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, found = check(tmp_path)
    assert code == 2
    place = f"catalogue/traits/t1.yml:{second + 1}:15: exercises[0].options[1].text: answer cue: "
    assert (
        place + "the key repeats option A and adds to it: a reader picks the option that does the most; make the "
        "distractor a different mistake, not a part of the key"
    ) in found
    # Such a key is also a near twin of the option it repeats, reported at the same place.
    assert len(found) == 2 and all(line.startswith(place) for line in found), found
    assert any("options A and B are near twins" in line for line in found), found


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Isolate the host", "en", 1),
        ("Isolate the host, then call the owner and log it", "en", 4),
        ("Brand and Sons; and then stop", "en", 5),
        ("Isolieren und dann melden", "de", 3),
        ("Isoler et puis appeler", "fr-CA", 3),
        ("Isolate and report", "xx", 1),  # an unknown language: punctuation only
        ("Isolate, report", "xx", 2),
        ("Block 480,000 emails by 02:00", "en", 1),
    ],
)
def test_parts_counts_joined_actions(text: str, language: str, expected: int) -> None:
    assert cues.parts(text, language) == expected


def test_contained_needs_most_words_and_more() -> None:
    assert cues.contained("Block the sender domain today", "Block the sender domain today and reset passwords")
    assert not cues.contained("Block the sender domain today", "Block the sender domain today")  # not longer
    assert not cues.contained("Reset the password", "Reset the password and revoke sessions")  # too few words
    assert not cues.contained("Call the vendor about the patch", "Isolate the device and call the owner")


# --- Twin options ---------------------------------------------------------------------------
# A test-wise reader looks for the two options that say almost the same thing and guesses
# between them, because item writers often make a distractor by changing one action of the key.

LAB_BRIDGED = "Read the exploit's code, then run it against a lab copy of the CMS on a VM bridged to her home network"
LAB_CUT_OFF = "Read the exploit's code, then run it against a lab copy of the CMS in a lab cut off from other networks"
LAB_SHARED = "Read the exploit's code, then run it against a lab copy of the CMS on a VM sharing files with her laptop"
STAGING = "Run it against the staging server, since it is an internal test system and not the live public site"
BOUNTY = "Try it on a website listed in a public bug bounty programme, since the programme invites researchers"
OWN_LAB = "Build a host-only lab with no route out and study what the exploit does there before any live run"
TEMPLATE = [
    "Accountable: the duty manager on the rota. Responsible: network on-call, who cuts the server off the network.",
    "Accountable: the duty manager on the rota. Responsible: the SOC analyst, who blocks its port at the firewall.",
    "Accountable: the duty manager on the rota. Responsible: the application owner, who shuts its service down.",
    "Accountable: the duty manager on the rota. Responsible: the server team, who power the machine off at once.",
]


def set_options(root: Path, texts: Sequence[str], trait: str = "t1") -> list[int]:
    """Give the first item of ``trait`` (balanced: key at B) these option texts; their line numbers."""
    path = root / "catalogue" / "traits" / f"{trait}.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i for i, line in enumerate(lines) if line.startswith("      - text: option")][: len(texts)]
    for i, text in zip(found, texts, strict=True):
        lines[i] = f"      - text: {json.dumps(text)}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [i + 1 for i in found]


def test_a_key_in_a_twin_pair_is_reported_at_the_key(tmp_path: Path) -> None:
    write_catalogue(tmp_path, balanced())
    where = set_options(tmp_path, [LAB_BRIDGED, LAB_CUT_OFF, STAGING, BOUNTY])
    code, found = check(tmp_path)
    assert code == 2
    assert len(found) == 1, found
    assert found[0].startswith(f"catalogue/traits/t1.yml:{where[1]}:15: exercises[0].options[1].text: answer cue: ")
    assert "options A and B are near twins (word similarity 0.7" in found[0]
    assert "the key is one of them" in found[0]
    # The rule has its own setting, and null turns it off.
    write_catalogue(tmp_path / "off", balanced(), "{twin_options: null}")
    set_options(tmp_path / "off", [LAB_BRIDGED, LAB_CUT_OFF, STAGING, BOUNTY])
    assert check(tmp_path / "off") == (0, [])


def test_twins_that_are_both_distractors_pass(tmp_path: Path) -> None:
    write_catalogue(tmp_path, balanced())
    set_options(tmp_path, [LAB_BRIDGED, OWN_LAB, LAB_SHARED, BOUNTY])
    assert check(tmp_path) == (0, [])


def test_options_that_are_not_twins_pass(tmp_path: Path) -> None:
    write_catalogue(tmp_path, balanced())
    set_options(tmp_path, [STAGING, OWN_LAB, BOUNTY, LAB_BRIDGED])
    assert check(tmp_path) == (0, [])


def test_options_written_to_one_template_pass(tmp_path: Path) -> None:
    # Every pair is alike, so the two most alike stand out from nothing: no pair to narrow to.
    write_catalogue(tmp_path, balanced())
    set_options(tmp_path, TEMPLATE)
    assert check(tmp_path) == (0, [])


def test_the_threshold_is_a_setting(tmp_path: Path) -> None:
    write_catalogue(tmp_path, balanced(), "{twin_options: 0.95}")
    set_options(tmp_path, [LAB_BRIDGED, LAB_CUT_OFF, STAGING, BOUNTY])
    assert check(tmp_path) == (0, [])
    write_catalogue(tmp_path / "bad", balanced(), "{twin_options: 1.5}")
    result = run_cli("--root", str(tmp_path / "bad"), "check")
    assert result.code == 2 and "answer_cues.twin_options: " in result.err


def test_similarity_compares_words_in_order() -> None:
    assert cues.similarity("Isolate the host now", "isolate the HOST, now!") == 1.0
    assert cues.similarity("Isolate the host", "Call the vendor") == pytest.approx(2 * 1 / 6)
    assert cues.similarity("Isolate the host", "") == 0.0
    assert cues.similarity(LAB_BRIDGED, LAB_CUT_OFF) > 0.65
    assert cues.similarity(STAGING, BOUNTY) < 0.3


def test_twin_pair_needs_likeness_and_a_lead_over_the_next_pair() -> None:
    assert cues.twin_pair([LAB_BRIDGED, LAB_CUT_OFF, STAGING, BOUNTY], 0.4) == (0, 1)
    assert cues.twin_pair([LAB_BRIDGED, LAB_CUT_OFF, STAGING, BOUNTY], 0.9) is None
    assert cues.twin_pair([STAGING, OWN_LAB, BOUNTY, LAB_BRIDGED], 0.4) is None
    assert cues.twin_pair(TEMPLATE, 0.4) is None
    assert cues.twin_pair([LAB_BRIDGED], 0.4) is None
