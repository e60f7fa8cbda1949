"""The learner's own view in a real browser: self-assessment ratings and their radar chart,
snapshots, paths, the home dashboard, the relationship graph, progress files and print."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser import ARTIFACTS, Server, Session, open_session
from tests.conftest import ROOT
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import Catalogue, MultipleSelect, SingleChoice, option_letter

PATH = "incident-responder"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_and_validate(Project.at(ROOT)).catalogue


def rate(page: Page, trait: str, level: int) -> None:
    page.check(f"input[name='tb-rate-{trait}'][value='{level}']")


def row(page: Page, trait: str) -> list[str]:
    return [c.strip() for c in page.locator(f".tb-profile tr[data-trait='{trait}'] td").all_inner_texts()]


def series(page: Page, name: str) -> str:
    return page.locator(f".tb-series--{name}").get_attribute("points") or ""


def test_ratings_draw_the_profile_and_survive_a_reload(session: Session, server: Server, catalogue: Catalogue) -> None:
    page = session.page
    page.goto(server.url("self-assessment/"))
    expect(page.locator(".tb-profile")).to_be_visible()
    assert series(page, "you") == ""  # nothing rated: nothing drawn
    rate(page, "analytical", 3)
    rate(page, "leader", 1)
    expect(page.locator(".tb-profile tr[data-trait='analytical'] td").first).to_have_text("3")
    points = series(page, "you").split()
    assert len(points) == len(catalogue.traits)  # one corner per trait axis
    rate(page, "analytical", 4)
    assert series(page, "you").split() != points  # the chart follows the rating
    page.reload()
    expect(page.locator("input[name='tb-rate-analytical'][value='4']")).to_be_checked()
    assert row(page, "leader")[0] == "1" and row(page, "consultative")[0] == "not rated"


def test_the_profile_works_after_instant_navigation(session: Session, server: Server) -> None:
    page = session.page
    page.goto(server.url(""))
    page.evaluate("window.__no_reload_marker = 1")
    page.click(".md-nav__link >> text=Self-assessment")
    rate(page, "learning", 2)
    expect(page.locator(".tb-profile tr[data-trait='learning'] td").first).to_have_text("2")
    assert series(page, "you") != ""
    page.click(".md-nav__link >> text=Home")
    expect(page.locator(".tb-trait-link[data-trait='learning'] ~ .tb-rating")).to_have_text("you: level 2")
    assert page.evaluate("window.__no_reload_marker") == 1, "navigation reloaded the page"


def test_the_zensical_build_has_the_same_profile(session: Session, zensical_server: Server) -> None:
    page = session.page
    page.goto(zensical_server.url("self-assessment/"))
    page.select_option("#tb-path-profile", PATH)
    rate(page, "analytical", 2)
    expect(page.locator(".tb-gaps li").first).to_contain_text("target")
    assert series(page, "you") != "" and series(page, "target") != ""
    page.goto(zensical_server.url("traits/"))
    expect(page.locator("a.tb-node")).to_have_count(8)
    page.goto(zensical_server.url(f"paths/{PATH}/"))
    expect(page.locator(".tb-path-panel")).to_contain_text("This is your path.")


def test_self_check_results_are_the_second_series(session: Session, server: Server, catalogue: Catalogue) -> None:
    page = session.page
    trait = catalogue.trait("leader")
    ex = next(e for e in trait.exercises if isinstance(e, SingleChoice))
    page.goto(server.url("traits/leader/"))
    sel = f"#ex-leader-{ex.id}"
    page.check(f"{sel}-{option_letter(next(i for i, o in enumerate(ex.options) if o.correct))}")
    page.click(f"{sel} >> text=Check answer")
    page.goto(server.url("self-assessment/"))
    choices = sum(isinstance(e, SingleChoice | MultipleSelect) for e in trait.exercises)
    expect(page.locator(".tb-profile tr[data-trait='leader'] td").nth(1)).to_have_text(
        f"1 of {choices} right first time"
    )
    assert series(page, "check") != "" and series(page, "you") == ""


def test_a_chosen_path_sets_targets_gaps_and_is_remembered(
    session: Session, server: Server, catalogue: Catalogue
) -> None:
    page = session.page
    path = next(p for p in catalogue.site.paths if p.id == PATH)
    first = path.steps[0]
    page.goto(server.url("self-assessment/"))
    expect(page.locator(".tb-gaps")).to_contain_text("Choose a path")
    page.select_option("#tb-path-profile", PATH)
    assert series(page, "target") != ""
    gaps = page.locator(".tb-gaps li")
    expect(gaps).to_have_count(len(path.steps))  # nothing rated yet: every step is a gap
    title = catalogue.trait(first.trait).title
    expect(gaps.first).to_contain_text(f"{title}: you not rated, target {first.target}")
    rate(page, first.trait, first.target)
    expect(gaps).to_have_count(len(path.steps) - 1)
    assert row(page, first.trait)[2] == str(first.target)
    href = gaps.first.locator("a").get_attribute("href") or ""
    assert href.endswith("#how-to-develop-it")

    page.goto(server.url(""))  # the home page remembers the choice
    expect(page.locator("#tb-path-home")).to_have_value(PATH)
    expect(page.locator(f".tb-trait-link[data-trait='{first.trait}'] ~ .tb-rating")).to_have_text(
        f"you: level {first.target}"
    )
    page.goto(server.url(f"paths/{PATH}/"))
    panel = page.locator(".tb-path-panel")
    expect(panel).to_contain_text("This is your path.")
    second = catalogue.trait(path.steps[1].trait).title
    expect(panel).to_contain_text(f"Next: {second}")  # the first step meets its target
    expect(page.locator(f".tb-step[data-trait='{first.trait}'] .tb-step__status")).to_contain_text(
        f"Your rating: {first.target} (target {first.target})"
    )
    other = next(p for p in catalogue.site.paths if p.id != PATH)
    page.goto(server.url(f"paths/{other.id}/"))
    page.click("text=Make this my path")
    expect(page.locator(".tb-path-panel")).to_contain_text("This is your path.")
    page.goto(server.url("paths/"))
    expect(page.locator("#tb-path-paths")).to_have_value(other.id)


def test_a_snapshot_keeps_earlier_ratings_to_compare(session: Session, server: Server) -> None:
    page = session.page
    page.goto(server.url("self-assessment/"))
    compare = page.locator(".tb-snapshots label")
    expect(compare).to_be_hidden()  # no snapshot yet
    rate(page, "determined", 2)
    page.click("text=Save a dated snapshot")
    expect(compare).to_be_visible()
    rate(page, "determined", 4)
    date = page.evaluate("new Date().toISOString().slice(0, 10)")
    assert row(page, "determined")[0] == "4" and row(page, "determined")[3] == f"2 on {date}"
    assert series(page, "then") != series(page, "you") != ""
    rate(page, "determined", 3)
    page.click("text=Save a dated snapshot")
    expect(page.locator(".tb-snapshots select option")).to_have_count(2)
    assert row(page, "determined")[3] == f"3 on {date}"  # the latest by default
    page.select_option(".tb-snapshots select", "0")
    assert row(page, "determined")[3] == f"2 on {date}"


def test_export_and_import_carry_ratings_snapshots_and_path(session: Session, server: Server, tmp_path: Path) -> None:
    page = session.page
    page.goto(server.url("self-assessment/"))
    rate(page, "collaborative", 3)
    page.click("text=Save a dated snapshot")
    page.select_option("#tb-path-profile", PATH)
    page.goto(server.url(""))
    rating = page.locator(".tb-trait-link[data-trait='collaborative'] ~ .tb-rating")
    expect(rating).to_have_text("you: level 3")
    with page.expect_download() as download:
        page.click("text=Export progress")
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["version"] == 3 and data["ratings"] == {"collaborative": 3} and data["path"] == PATH
    assert [s["ratings"] for s in data["snapshots"]] == [{"collaborative": 3}]

    page.click("text=Reset all progress")
    expect(rating).to_have_count(0)
    expect(page.locator("#tb-path-home")).to_have_value("")
    page.set_input_files(".tb-panel__file", str(saved))
    expect(page.locator(".tb-panel__status")).to_have_text("Progress imported.")
    expect(rating).to_have_text("you: level 3")
    expect(page.locator("#tb-path-home")).to_have_value(PATH)


def test_progress_of_the_previous_format_is_upgraded_not_lost(
    session: Session, server: Server, catalogue: Catalogue, tmp_path: Path
) -> None:
    page = session.page
    trait = catalogue.trait("leader")
    key = f"leader/{trait.exercises[0].id}"
    old = {"version": 1, "exercises": {key: {"answered": True, "correct": True, "first": True}},
           "reflections": {}, "totals": {"leader": len(trait.exercises)}}  # fmt: skip
    page.goto(server.url(""))
    page.evaluate("data => localStorage.setItem('/traitbook.progress', JSON.stringify(data))", old)
    page.reload()
    expect(page.locator(".tb-trait-link[data-trait='leader'] .tb-badge")).to_have_text(f"1/{len(trait.exercises)}")
    page.goto(server.url("self-assessment/"))
    rate(page, "leader", 2)
    stored = page.evaluate("JSON.parse(localStorage.getItem('/traitbook.progress'))")
    assert stored["version"] == 3 and stored["exercises"][key]["first"] is True and stored["ratings"] == {"leader": 2}
    # A version 1 file exported before the upgrade still imports.
    old_file = tmp_path / "old.json"
    old_file.write_text(json.dumps(old))
    page.goto(server.url(""))
    page.set_input_files(".tb-panel__file", str(old_file))
    expect(page.locator(".tb-panel__status")).to_have_text("Progress imported.")


def test_the_graph_links_every_trait_and_works_by_keyboard(
    session: Session, server: Server, catalogue: Catalogue
) -> None:
    page = session.page
    page.goto(server.url("traits/"))
    nodes = page.locator("a.tb-node")
    expect(nodes).to_have_count(len(catalogue.traits))
    for trait in catalogue.traits:
        node = page.locator(f"a.tb-node[data-trait='{trait.id}']")
        assert node.get_attribute("aria-label", timeout=5000) is not None
        assert trait.title in (node.get_attribute("aria-label") or "")
    page.focus("a.tb-node[data-trait='consultative']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(server.url("traits/consultative/"))
    expect(page.locator("h1")).to_contain_text(catalogue.trait("consultative").title)


def test_without_javascript_the_self_assessment_is_a_form_that_prints_on_one_page(
    browser: Browser, server: Server, catalogue: Catalogue
) -> None:
    s = open_session(browser, java_script_enabled=False)
    page = s.page
    page.goto(server.url("self-assessment/"))
    levels = len(catalogue.site.self_assessment.levels)
    for trait in catalogue.traits:
        radios = page.locator(f"fieldset.tb-rate[data-trait='{trait.id}'] input[type=radio]")
        expect(radios).to_have_count(levels)
    expect(page.locator(".tb-profile")).to_be_hidden()
    expect(page.locator(".tb-path-select").first).to_be_hidden()
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = pdf.pages[0].extract_text()
    s.context.close()
    assert len(pdf.pages) == 1, f"{len(pdf.pages)} pages"
    assert all(t.title.split(",")[0] in text for t in catalogue.traits)


def test_with_javascript_the_printed_profile_is_one_page(session: Session, server: Server) -> None:
    page = session.page
    page.goto(server.url("self-assessment/"))
    page.select_option("#tb-path-profile", PATH)
    for trait, level in [("analytical", 3), ("leader", 2), ("learning", 1)]:
        rate(page, trait, level)
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(pdf.pages) == 1, f"{len(pdf.pages)} pages"
    assert "Your gaps" in pdf.pages[0].extract_text()


@pytest.mark.parametrize(
    "path", ["self-assessment/", f"paths/{PATH}/", "paths/", "traits/", "reference/crosswalk/", ""]
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(session: Session, server: Server, path: str, scheme: str) -> None:
    page = session.page
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(server.url("self-assessment/"))
    page.select_option("#tb-path-profile", PATH)
    rate(page, "analytical", 2)
    page.click("text=Save a dated snapshot")
    page.goto(server.url(path))
    results = Axe().run(page)
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == [], json.dumps(results.response["violations"], indent=1)[:3000]


@pytest.mark.parametrize(("name", "path"), [("self-assessment", "self-assessment/"), ("path", f"paths/{PATH}/"),
                                            ("graph", "traits/")])  # fmt: skip
def test_screenshots(session: Session, server: Server, name: str, path: str) -> None:
    page = session.page
    page.goto(server.url("self-assessment/"))
    page.select_option("#tb-path-profile", PATH)
    for trait, level in [("analytical", 3), ("determined", 2), ("learning", 2), ("collaborative", 1), ("leader", 3)]:
        rate(page, trait, level)
    page.goto(server.url(path))
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"profile-{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 20_000
