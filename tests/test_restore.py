"""Pages that keep their answers (issue 32), in Chromium: an answered choice exercise shows its
last check again, as it was shown, after a reload, an instant-navigation page change and an
import; restoring is no new attempt; stored values that do not fit are dropped, never shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser import Server, Session
from tests.conftest import ROOT
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import MultipleSelect, Reflection, SingleChoice, Trait, option_letter

TRAIT = "leader"
KEY = "/traitbook.progress"  # the site is served at the root of its origin
INJECTED = "<img src=x onerror=window.__injected=1>"


@pytest.fixture(scope="module")
def trait() -> Trait:
    return load_and_validate(Project.at(ROOT)).catalogue.trait(TRAIT)


def single(trait: Trait) -> SingleChoice:
    return next(e for e in trait.exercises if isinstance(e, SingleChoice))


def multiple(trait: Trait) -> MultipleSelect:
    return next(e for e in trait.exercises if isinstance(e, MultipleSelect))


def box(exercise_id: str) -> str:
    return f"#ex-{TRAIT}-{exercise_id}"


def answer(page: Page, exercise: SingleChoice | MultipleSelect, indexes: list[int]) -> None:
    sel = box(exercise.id)
    for i in indexes:
        page.check(f"{sel}-{option_letter(i)}")
    page.click(f"{sel} >> text=Check answer")
    expect(page.locator(f"{sel} .tb-result__title")).to_be_visible()


def shown(page: Page, exercise_id: str) -> dict[str, Any]:
    """What the learner sees of an exercise: its markup (marks, verdict, feedback, which button
    is hidden, disabled options) and the state of each option, which markup does not show."""
    result: dict[str, Any] = page.locator(box(exercise_id)).evaluate(
        """section => ({
            html: section.innerHTML,
            checked: Array.from(section.querySelectorAll('input'), i => i.checked),
            disabled: Array.from(section.querySelectorAll('input'), i => i.disabled),
        })"""
    )
    return result


def expect_blank(page: Page, exercise: SingleChoice | MultipleSelect) -> None:
    sel = box(exercise.id)
    expect(page.locator(f"{sel} >> text=Check answer")).to_be_visible()
    expect(page.locator(f"{sel} >> text=Try again")).to_be_hidden()
    expect(page.locator(f"{sel} .tb-result")).to_be_empty()
    expect(page.locator(f"{sel} .tb-option__mark")).to_have_count(0)
    for i in range(len(exercise.options)):
        expect(page.locator(f"{sel}-{option_letter(i)}")).not_to_be_checked()
        expect(page.locator(f"{sel}-{option_letter(i)}")).to_be_enabled()


def stored(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.evaluate("key => localStorage.getItem(key)", KEY))
    return data


def progress(trait: Trait, done: int, first: int = 0) -> str:
    text = f"Self-check: {done} of {len(trait.exercises)} done"
    return text + (f", {first} correct on first try" if first else "")


def test_a_wrong_answer_is_shown_again_after_a_reload_until_try_again(
    session: Session, server: Server, trait: Trait
) -> None:
    page = session.page
    ex = single(trait)
    sel = box(ex.id)
    wrong = next(i for i, o in enumerate(ex.options) if not o.correct)
    # The first listener of DOMContentLoaded: whether the answer was back by then.
    page.context.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => { window.__restored_at_dom_ready ="
        f" !!document.querySelector({json.dumps(sel + ' .tb-result__title')}); }});"
    )
    page.goto(server.url(f"traits/{TRAIT}/"))
    answer(page, ex, [wrong])
    expect(page.locator(f"{sel} .tb-result")).to_contain_text("Not quite")
    before = shown(page, ex.id)
    assert before["checked"] == [i == wrong for i in range(len(ex.options))]
    records = stored(page)["exercises"]

    page.reload()
    expect(page.locator(f"{sel}-{option_letter(wrong)}")).to_be_checked()
    expect(page.locator(f"{sel} .tb-result")).to_contain_text("Not quite")
    assert shown(page, ex.id) == before  # the same option, marks, verdict and feedback, exactly
    # Restored as soon as the script runs, before the document is even complete.
    assert page.evaluate("window.__restored_at_dom_ready") is True
    expect(page.locator(f"{sel} >> text=Try again")).to_be_visible()
    expect(page.locator(f"{sel} >> text=Check answer")).to_be_hidden()
    expect(page.locator(f"{sel} .tb-result")).not_to_be_focused()  # a restore does not move focus
    expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 1))
    assert stored(page)["exercises"] == records  # nothing recorded by the restore

    page.click(f"{sel} >> text=Try again")
    expect_blank(page, ex)
    expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 1))  # still answered
    page.reload()
    expect_blank(page, ex)  # "Try again" cleared what the page shows, for good
    expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 1))
    record = stored(page)["exercises"][f"{TRAIT}/{ex.id}"]
    assert record == {"answered": True, "correct": False, "first": False}


def test_first_try_figures_stay_as_they_were_across_reloads(session: Session, server: Server, trait: Trait) -> None:
    page = session.page
    ex = single(trait)
    right = next(i for i, o in enumerate(ex.options) if o.correct)
    wrong = next(i for i, o in enumerate(ex.options) if not o.correct)
    page.goto(server.url(f"traits/{TRAIT}/"))
    answer(page, ex, [right])
    expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 1, 1))
    for _ in range(2):
        page.reload()
        expect(page.locator(f"{box(ex.id)} .tb-result")).to_contain_text("Correct")
        expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 1, 1))
    # A second attempt after a restore is no first try, whatever its verdict.
    page.click(f"{box(ex.id)} >> text=Try again")
    answer(page, ex, [wrong])
    page.reload()
    expect(page.locator(f"{box(ex.id)} .tb-result")).to_contain_text("Not quite")
    expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 1, 1))
    assert stored(page)["exercises"][f"{TRAIT}/{ex.id}"] == {
        "answered": True,
        "correct": False,
        "first": True,
        "chosen": [wrong],
    }


def test_a_multiple_select_with_two_options_chosen_survives_a_reload(
    session: Session, server: Server, trait: Trait
) -> None:
    page = session.page
    ex = multiple(trait)
    picked = [i for i, o in enumerate(ex.options) if o.correct][:2]
    assert len(picked) == 2
    page.goto(server.url(f"traits/{TRAIT}/"))
    answer(page, ex, picked)
    expect(page.locator(f"{box(ex.id)} .tb-result")).to_contain_text("Correct")
    before = shown(page, ex.id)
    assert stored(page)["exercises"][f"{TRAIT}/{ex.id}"]["chosen"] == picked
    page.reload()
    for i in picked:
        expect(page.locator(f"{box(ex.id)}-{option_letter(i)}")).to_be_checked()
    assert shown(page, ex.id) == before
    expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 1, 1))


def test_instant_navigation_away_and_back_restores_the_answers(session: Session, server: Server, trait: Trait) -> None:
    page = session.page
    one, many = single(trait), multiple(trait)
    wrong = next(i for i, o in enumerate(one.options) if not o.correct)
    mixed = [
        next(i for i, o in enumerate(many.options) if not o.correct),
        next(i for i, o in enumerate(many.options) if o.correct),
    ]
    reflection = next(e for e in trait.exercises if isinstance(e, Reflection))
    page.goto(server.url(f"traits/{TRAIT}/"))
    answer(page, one, [wrong])
    answer(page, many, sorted(mixed))
    page.fill(f"{box(reflection.id)} textarea", "Brief the board with options.")
    expect(page.locator(f"{box(reflection.id)} .tb-saved")).to_have_text("Saved in this browser.")
    before = {one.id: shown(page, one.id), many.id: shown(page, many.id)}

    page.evaluate("window.__no_reload_marker = 1")
    page.click(".md-nav__link >> text=Home")
    expect(page.locator(f".tb-trait-link[data-trait={TRAIT}] .tb-badge")).to_have_text(f"3/{len(trait.exercises)}")
    # When the swapped-in page first holds the exercise, and at the next frame it is drawn in:
    # whether its answer is back (Material swaps the page and then tells our script, at once).
    page.evaluate(
        """sel => { window.__frames = []; const seen = () => !!document.querySelector(sel + ' .tb-result__title');
        const watch = new MutationObserver(() => { if (!document.querySelector(sel)) return; watch.disconnect();
          window.__frames.push(seen()); requestAnimationFrame(() => window.__frames.push(seen())); });
        watch.observe(document.body, {subtree: true, childList: true}); }""",
        box(many.id),
    )
    page.click(f".tb-trait-link[data-trait={TRAIT}]")
    expect(page.locator(f"{box(one.id)} .tb-result")).to_contain_text("Not quite")
    assert {one.id: shown(page, one.id), many.id: shown(page, many.id)} == before
    page.wait_for_function("window.__frames.length === 2")
    assert page.evaluate("window.__frames") == [True, True]  # never drawn without its answer
    expect(page.locator(f"{box(reflection.id)} textarea")).to_have_value("Brief the board with options.")

    page.go_back()  # instant navigation's history: the home page, then this one again
    expect(page.locator(f".tb-trait-link[data-trait={TRAIT}]")).to_be_visible()
    page.go_forward()
    expect(page.locator(f"{box(many.id)} .tb-result")).to_contain_text("Not quite")
    assert {one.id: shown(page, one.id), many.id: shown(page, many.id)} == before
    assert page.evaluate("window.__no_reload_marker") == 1, "navigation reloaded the page"


def test_export_then_import_restores_the_selections(
    session: Session, server: Server, trait: Trait, tmp_path: Path
) -> None:
    page = session.page
    one, many = single(trait), multiple(trait)
    wrong = next(i for i, o in enumerate(one.options) if not o.correct)
    right = [i for i, o in enumerate(many.options) if o.correct]
    page.goto(server.url(f"traits/{TRAIT}/"))
    answer(page, one, [wrong])
    answer(page, many, right)
    before = {one.id: shown(page, one.id), many.id: shown(page, many.id)}
    page.goto(server.url(""))
    with page.expect_download() as download:
        page.click("text=Export progress")
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["version"] == 3
    assert data["exercises"][f"{TRAIT}/{one.id}"]["chosen"] == [wrong]
    assert data["exercises"][f"{TRAIT}/{many.id}"]["chosen"] == right

    page.click("text=Reset all progress")
    page.goto(server.url(f"traits/{TRAIT}/"))
    expect_blank(page, one)
    expect_blank(page, many)
    page.goto(server.url(""))
    page.set_input_files(".tb-panel__file", str(saved))
    expect(page.locator(".tb-panel__status")).to_have_text("Progress imported.")
    page.goto(server.url(f"traits/{TRAIT}/"))
    expect(page.locator(f"{box(one.id)} .tb-result")).to_contain_text("Not quite")
    assert {one.id: shown(page, one.id), many.id: shown(page, many.id)} == before
    expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 2, 1))


def test_progress_of_version_2_is_upgraded_answered_but_not_restored(
    session: Session, server: Server, trait: Trait, tmp_path: Path
) -> None:
    page = session.page
    ex, other = single(trait), multiple(trait)
    key = f"{TRAIT}/{ex.id}"
    old = {
        "version": 2,
        "exercises": {key: {"answered": True, "correct": True, "first": True}},
        "reflections": {},
        "totals": {TRAIT: len(trait.exercises)},
        "ratings": {TRAIT: 2},
        "snapshots": [{"date": "2026-01-01", "ratings": {TRAIT: 1}}],
        "path": "incident-responder",
    }
    page.goto(server.url(f"traits/{TRAIT}/"))
    page.evaluate("([key, data]) => localStorage.setItem(key, JSON.stringify(data))", [KEY, old])
    page.reload()
    expect(page.locator(".tb-progress__text")).to_have_text(progress(trait, 1, 1))
    expect_blank(page, ex)  # answered in the counters; which option it was, version 2 never kept
    picked = [i for i, o in enumerate(other.options) if o.correct]
    answer(page, other, picked)
    data = stored(page)
    assert data["version"] == 3
    assert data["exercises"] == {
        key: {"answered": True, "correct": True, "first": True},
        f"{TRAIT}/{other.id}": {"answered": True, "correct": True, "first": True, "chosen": picked},
    }
    assert data["ratings"] == old["ratings"] and data["snapshots"] == old["snapshots"] and data["path"] == old["path"]

    # A file exported by version 2 still imports, as it was.
    page.goto(server.url(""))
    page.click("text=Reset all progress")
    old_file = tmp_path / "old.json"
    old_file.write_text(json.dumps(old))
    page.set_input_files(".tb-panel__file", str(old_file))
    expect(page.locator(".tb-panel__status")).to_have_text("Progress imported.")
    expect(page.locator(f".tb-trait-link[data-trait={TRAIT}] .tb-badge")).to_have_text(f"1/{len(trait.exercises)}")
    assert stored(page)["exercises"] == {key: {"answered": True, "correct": True, "first": True}}


#: Stored choices that do not fit the single-choice exercise (4 options, one right): each must
#: be dropped (by the storage's check or against the page), the exercise left as if unanswered.
HOSTILE_CHOICES: dict[str, object] = {
    "index-99": [99],
    "index-past-the-options": [4],
    "index-100": [100],
    "negative": [-1],
    "fraction": [1.5],
    "huge-number": [1e308],
    "digit-text": ["1"],
    "markup-in-list": [INJECTED],
    "markup": INJECTED,
    "nested-object": [{"0": 1, "toString": INJECTED}],
    "object": {"0": 1, "length": 1},
    "nested-list": [[1]],
    "null-in-list": [None],
    "boolean": [True],
    "huge-list": list(range(100_000)),
    "repeated": [1, 1],
    "two-for-one-choice": [0, 1],
    "unsorted": [1, 0],
    "empty": [],
}


#: The same for the multiple select (5 options, the third and fourth right), recorded as right.
HOSTILE_MULTIPLE: dict[str, object] = {
    "one-past-the-options": [2, 5],
    "one-index-99": [2, 3, 99],
    "unsorted": [3, 2],
    "repeated": [2, 3, 3],
    "one-text": [2, "3"],
    "one-markup": [2, INJECTED],
    "one-nested": [2, [3]],
}


def hostile_state(ex: SingleChoice | MultipleSelect, chosen: object, **record: object) -> str:
    rec = {"answered": True, "correct": isinstance(ex, MultipleSelect), "first": False, "chosen": chosen, **record}
    return json.dumps({"version": 3, "exercises": {f"{TRAIT}/{ex.id}": rec}, "totals": {}, "reflections": {}})


@pytest.mark.parametrize("chosen", list(HOSTILE_CHOICES.values()), ids=list(HOSTILE_CHOICES))
def test_hostile_stored_choices_are_dropped_never_shown(
    session: Session, server: Server, trait: Trait, chosen: object
) -> None:
    check_hostile(session, server, single(trait), hostile_state(single(trait), chosen))


@pytest.mark.parametrize("chosen", list(HOSTILE_MULTIPLE.values()), ids=list(HOSTILE_MULTIPLE))
def test_hostile_stored_choices_of_a_multiple_select_are_dropped(
    session: Session, server: Server, trait: Trait, chosen: object
) -> None:
    ex = multiple(trait)
    assert [i for i, o in enumerate(ex.options) if o.correct] == [2, 3] and len(ex.options) == 5
    check_hostile(session, server, ex, hostile_state(ex, chosen))


@pytest.mark.parametrize(
    "record",
    [
        {"answered": False},  # choices of an exercise not answered
        {"correct": True},  # the verdict recorded differs from the page's: the exercise has changed
        {"answered": INJECTED, "correct": {"a": 1}},
    ],
    ids=["not-answered", "other-verdict", "markup-flags"],
)
def test_stored_choices_that_disagree_with_their_record_are_not_shown(
    session: Session, server: Server, trait: Trait, record: dict[str, object]
) -> None:
    ex = single(trait)
    wrong = next(i for i, o in enumerate(ex.options) if not o.correct)
    check_hostile(session, server, ex, hostile_state(ex, [wrong], **record))


def check_hostile(session: Session, server: Server, ex: SingleChoice | MultipleSelect, text: str) -> None:
    page = session.page
    page.goto(server.url(f"traits/{TRAIT}/"))
    page.evaluate("([key, text]) => localStorage.setItem(key, text)", [KEY, text])
    page.reload()
    expect(page.locator("html.tb-js")).to_have_count(1)  # the script ran to its end
    expect_blank(page, ex)
    assert page.evaluate("window.__injected") is None
    expect(page.locator("img[src='x']")).to_have_count(0)
    # The learner can go on: an answer saves a clean record over the hostile one.
    right = [i for i, o in enumerate(ex.options) if o.correct]
    answer(page, ex, right)
    record = stored(page)["exercises"][f"{TRAIT}/{ex.id}"]
    assert record["chosen"] == right and record["answered"] is True and record["correct"] is True
    page.reload()
    for i in right:
        expect(page.locator(f"{box(ex.id)}-{option_letter(i)}")).to_be_checked()
    # the session fixture fails the test on any page or console error
