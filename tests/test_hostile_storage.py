"""What the browser has stored is input like any other: hostile values in every stored field
must not break a page, and the learner can go on and save over them.

Each case puts one value into local storage before the page's scripts run, then opens every
kind of page; the session fixture fails the test on any page error or console error.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser import Server, Session
from tests.conftest import ROOT
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import SingleChoice, option_letter

KEY = "/traitbook.progress"  # the site is served at the root of its origin
LONG = "x']" * 40_000


def state(**fields: object) -> str:
    base: dict[str, object] = {
        "version": 3,
        "exercises": {},
        "reflections": {},
        "totals": {},
        "ratings": {},
        "snapshots": [],
        "path": "",
    }
    return json.dumps({**base, **fields})


#: One stored text per case. The first three put a hostile value into every field at once (a
#: page that trips on any one field fails the case): quotes and brackets that would break a
#: selector and markup that would run if pasted as HTML; wrong types everywhere; very long
#: strings. The others are what a damaged or foreign value looks like as a whole.
CASES = {
    "quotes-and-markup": state(
        path="x']",
        exercises={
            "leader/x']": {"answered": True},
            "__proto__": {"answered": True},
            "leader/first-holding-statement": {"answered": True, "chosen": ["</label><img src=x onerror=alert(1)>"]},
            "leader/which-clocks-apply": {"answered": True, "correct": True, "chosen": [2, "3']"]},
        },
        reflections={"leader/trust-plan": "</textarea><img src=x onerror=alert(1)>"},
        totals={"leader": 3, "constructor": 1},
        ratings={"leader": 3, "constructor": 3, "x']": 2},
        snapshots=[{"date": "2026-01-01", "ratings": {"leader": 2, "</script>": 1}}],
    ),
    "wrong-types": state(
        path={"toString": "x"},
        exercises={
            "leader/x": {"answered": "yes", "first": 1},
            "leader/y": 5,
            "z": None,
            "leader/shared-admin-finding": {"answered": True, "chosen": {"0": 2, "length": 1}},
            "leader/edr-budget-pitch": {"answered": True, "correct": True, "chosen": [0.0001]},
            "leader/breach-clock-start": {"answered": True, "correct": True, "chosen": [[0]]},
            "leader/webshell-rebuild": {"answered": True, "correct": True, "chosen": [1e308]},
        },
        reflections={"leader/trust-plan": {"a": 1}, "x": ["</textarea><b>"]},
        totals={"leader": -1, "analytical": "9", "learning": 1e308},
        ratings={"leader": "3']", "analytical": 1e308, "learning": -2},
        snapshots=[None, 5, {"date": "</script>", "ratings": "x"}, {"date": "2026-01-01", "ratings": {"leader": "x"}}],
    ),
    "long-strings": state(
        path=LONG,
        exercises={LONG: {"answered": True}, "leader/which-clocks-apply": {"answered": True, "chosen": [2] * 100_000}},
        reflections={"leader/trust-plan": LONG},
        ratings={LONG: 2},
        snapshots=[{"date": LONG, "ratings": {}}],
    ),
    "fields-not-objects": state(exercises="leader/x", reflections=[1], totals=7, ratings="x", snapshots={"0": 1}),
    "every-field-null": json.dumps(
        {"version": 3, "exercises": None, "reflections": None, "totals": None, "ratings": None, "snapshots": None}
    ),
    "version-text": json.dumps({"version": "3"}),
    "array": "[1, 2, 3]",
    "string": json.dumps("</script>"),
    "damaged-json": "{not json",
}

#: One page of each kind the site has.
PAGES = [
    "",
    "traits/leader/",
    "traits/",
    "self-assessment/",
    "paths/",
    "paths/incident-responder/",
    "reference/glossary/",
    "reference/answer-key/",
    "reference/crosswalk/",
]


def store(page: Page, text: str) -> None:
    """Put ``text`` under the progress key before any script of every page runs."""
    page.context.add_init_script(f"window.localStorage.setItem({json.dumps(KEY)}, {json.dumps(text)});")


@pytest.mark.parametrize("stored", list(CASES.values()), ids=list(CASES))
def test_hostile_storage_breaks_no_page(session: Session, server: Server, stored: str) -> None:
    page = session.page
    store(page, stored)
    for path in PAGES:
        page.goto(server.url(path))
        expect(page.locator("html.tb-js")).to_have_count(1)  # the script ran to its end
        if path == "self-assessment/":
            expect(page.locator("[data-tb-profile]")).to_be_visible()  # the profile was drawn
        if path == "traits/leader/":  # no stored choice fits: nothing is shown as answered
            expect(page.locator(".tb-result__title")).to_have_count(0)
            expect(page.locator(".tb-exercise input:checked")).to_have_count(0)
        if path.startswith("paths/incident-responder"):
            expect(page.locator("[data-tb-path] p").first).to_be_visible()  # the panel was filled


@pytest.mark.parametrize("name", ["quotes-and-markup", "wrong-types", "damaged-json"])
def test_an_answer_saves_clean_progress_over_hostile_storage(session: Session, server: Server, name: str) -> None:
    trait = load_and_validate(Project.at(ROOT)).catalogue.trait("leader")
    exercise = next(e for e in trait.exercises if isinstance(e, SingleChoice))
    page = session.page
    page.goto(server.url("traits/leader/"))
    page.evaluate("([key, text]) => window.localStorage.setItem(key, text)", [KEY, CASES[name]])
    page.reload()
    box = f"#ex-leader-{exercise.id}"
    key = next(i for i, o in enumerate(exercise.options) if o.correct)
    page.check(f"{box}-{option_letter(key)}")
    page.click(f"{box} >> text=Check answer")
    expect(page.locator(f"{box} .tb-result__title")).to_have_class("tb-result__title is-correct")
    saved = json.loads(page.evaluate("key => window.localStorage.getItem(key)", KEY))
    assert saved["version"] == 3 and saved["path"] == ""  # a path that is no id is dropped
    assert saved["exercises"][f"leader/{exercise.id}"] == {
        "answered": True,
        "correct": True,
        "first": True,
        "chosen": [key],
    }
    others = [r for k, r in saved["exercises"].items() if k != f"leader/{exercise.id}"]
    assert all(isinstance(r, dict) and set(r) == {"answered", "correct", "first"} for r in others)
    assert isinstance(saved["snapshots"], list) and isinstance(saved["ratings"], dict)
