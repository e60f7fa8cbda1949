"""The interactive self-check in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import markdown
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser import ARTIFACTS, Server, Session, open_session
from tests.conftest import ROOT, run_cli
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import (
    MultipleSelect,
    Reflection,
    SingleChoice,
    Task,
    Trait,
    criterion_texts,
    option_letter,
)
from traitbook._internal.site.assets import TARGET, built_assets

TRAIT = "leader"


@pytest.fixture(scope="module")
def trait() -> Trait:
    return load_and_validate(Project.at(ROOT)).catalogue.trait(TRAIT)


def plain(markdown_text: str) -> str:
    """What a reader sees of catalogue Markdown: rendered, tags dropped, spaces collapsed."""
    rendered = markdown.markdown(markdown_text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def seen(page_text: str) -> str:
    return " ".join(page_text.split())


def first(trait: Trait, kind: type) -> tuple[int, SingleChoice | MultipleSelect | Reflection | Task]:
    return next((i, e) for i, e in enumerate(trait.exercises) if isinstance(e, kind))


def box(page: Page, exercise_id: str) -> str:
    return f"#ex-{TRAIT}-{exercise_id}"


def test_wrong_then_right_answer_shows_the_catalogue_feedback(session: Session, server: Server, trait: Trait) -> None:
    page = session.page
    page.goto(server.url(f"traits/{TRAIT}/"))
    _, ex = first(trait, SingleChoice)
    assert isinstance(ex, SingleChoice)
    sel = box(page, ex.id)
    wrong = next(i for i, o in enumerate(ex.options) if not o.correct)
    right = next(i for i, o in enumerate(ex.options) if o.correct)
    expect(page.locator(f"{sel} .tb-exercise__scenario")).to_be_visible()

    page.check(f"{sel}-{option_letter(wrong)}")
    page.click(f"{sel} >> text=Check answer")
    result = page.locator(f"{sel} .tb-result")
    expect(result).to_contain_text("Not quite")
    text = seen(result.inner_text())
    assert plain(ex.options[wrong].feedback) in text
    assert plain(ex.options[right].feedback) in text  # the right answer is explained too
    expect(result).to_be_focused()
    expect(page.locator(f"{sel} .tb-exercise__scenario")).to_be_visible()

    page.click(f"{sel} >> text=Try again")
    page.check(f"{sel}-{option_letter(right)}")
    page.click(f"{sel} >> text=Check answer")
    expect(result).to_contain_text("✓ Correct.")
    assert plain(ex.options[right].feedback) in seen(result.inner_text())
    assert plain(ex.options[wrong].feedback) not in seen(result.inner_text())


def test_multiple_select_needs_every_correct_option(session: Session, server: Server, trait: Trait) -> None:
    page = session.page
    page.goto(server.url(f"traits/{TRAIT}/"))
    _, ex = first(trait, MultipleSelect)
    assert isinstance(ex, MultipleSelect)
    sel = box(page, ex.id)
    correct = [i for i, o in enumerate(ex.options) if o.correct]
    page.check(f"{sel}-{option_letter(correct[0])}")
    page.click(f"{sel} >> text=Check answer")
    result = page.locator(f"{sel} .tb-result")
    expect(result).to_contain_text("Not quite")
    page.click(f"{sel} >> text=Try again")
    for i in correct:
        page.check(f"{sel}-{option_letter(i)}")
    page.click(f"{sel} >> text=Check answer")
    expect(result).to_contain_text("✓ Correct.")
    for i in correct:
        assert plain(ex.options[i].feedback) in seen(result.inner_text())


def answer_correctly(page: Page, trait: Trait, index: int) -> None:
    ex = trait.exercises[index]
    assert isinstance(ex, SingleChoice | MultipleSelect)
    sel = box(page, ex.id)
    for i, option in enumerate(ex.options):
        if option.correct:
            page.check(f"{sel}-{option_letter(i)}")
    page.click(f"{sel} >> text=Check answer")
    expect(page.locator(f"{sel} .tb-result")).to_contain_text("Correct")


def test_progress_survives_reload_and_instant_navigation_and_resets(
    session: Session, server: Server, trait: Trait
) -> None:
    page = session.page
    total = len(trait.exercises)
    page.goto(server.url(f"traits/{TRAIT}/"))
    progress = page.locator(".tb-progress__text")
    expect(progress).to_have_text(f"Self-check: 0 of {total} done")
    answer_correctly(page, trait, 0)
    expect(progress).to_have_text(f"Self-check: 1 of {total} done, 1 correct on first try")
    page.reload()
    expect(progress).to_have_text(f"Self-check: 1 of {total} done, 1 correct on first try")

    # Instant navigation: Material swaps the page without a reload; our script re-initialises.
    page.evaluate("window.__no_reload_marker = 1")
    page.click(".md-nav__link >> text=Home")
    expect(page.locator(f".tb-trait-link[data-trait={TRAIT}] .tb-badge")).to_have_text(f"1/{total}")
    page.click(f".tb-trait-link[data-trait={TRAIT}]")
    expect(progress).to_have_text(f"Self-check: 1 of {total} done, 1 correct on first try")
    assert page.evaluate("window.__no_reload_marker") == 1, "navigation reloaded the page"
    expect(page.locator(f".md-nav__link[href$='{TRAIT}/'] .tb-badge").first).to_have_text(f"1/{total}")

    page.click("text=Reset this trait")
    expect(page.locator(".tb-progress__text")).to_have_text(f"Self-check: 0 of {total} done")


def test_export_then_import_restores_progress(session: Session, server: Server, trait: Trait, tmp_path: Path) -> None:
    page = session.page
    page.goto(server.url(f"traits/{TRAIT}/"))
    answer_correctly(page, trait, 0)
    page.goto(server.url(""))
    badge = page.locator(f".tb-trait-link[data-trait={TRAIT}] .tb-badge")
    expect(badge).to_have_text(f"1/{len(trait.exercises)}")
    with page.expect_download() as download:
        page.click("text=Export progress")
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text())
    assert data["exercises"][f"{TRAIT}/{trait.exercises[0].id}"]["first"] is True

    page.click("text=Reset all progress")
    expect(badge).to_have_count(0)
    page.set_input_files(".tb-panel__file", str(saved))
    expect(page.locator(".tb-panel__status")).to_have_text("Progress imported.")
    expect(badge).to_have_text(f"1/{len(trait.exercises)}")

    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 99}')
    page.set_input_files(".tb-panel__file", str(broken))
    expect(page.locator(".tb-panel__status")).to_contain_text("Could not import")
    expect(badge).to_have_text(f"1/{len(trait.exercises)}")


def test_reflection_text_is_kept_and_guidance_revealed(session: Session, server: Server, trait: Trait) -> None:
    page = session.page
    page.goto(server.url(f"traits/{TRAIT}/"))
    _, ex = first(trait, Reflection)
    assert isinstance(ex, Reflection)
    sel = box(page, ex.id)
    page.fill(f"{sel} textarea", "I would brief the board with options.")
    expect(page.locator(f"{sel} .tb-saved")).to_have_text("Saved in this browser.")
    page.reload()
    expect(page.locator(f"{sel} textarea")).to_have_value("I would brief the board with options.")
    page.click(f"{sel} summary")
    assert plain(ex.guidance)[:60] in seen(page.locator(f"{sel} details").inner_text())


def test_task_text_is_kept_counts_as_done_and_reveals_the_model_answer(
    session: Session, server: Server, trait: Trait
) -> None:
    page = session.page
    page.goto(server.url(f"traits/{TRAIT}/"))
    _, ex = first(trait, Task)
    assert isinstance(ex, Task)
    sel = box(page, ex.id)
    before = page.locator(".tb-progress__text").inner_text()
    page.fill(f"{sel} textarea", "Decision needed by Friday: the shared admin account.")
    expect(page.locator(f"{sel} .tb-saved")).to_have_text("Saved in this browser.")
    expect(page.locator(".tb-progress__text")).not_to_have_text(before)
    page.reload()
    expect(page.locator(f"{sel} textarea")).to_have_value("Decision needed by Friday: the shared admin account.")
    expect(page.locator(f"{sel} summary")).to_have_text("Compare with a model answer")
    page.click(f"{sel} summary")
    shown = seen(page.locator(f"{sel} details").inner_text())
    assert all(plain(text) in shown for text in criterion_texts(ex.criteria[0]))  # a rubric row shows its levels
    assert plain(ex.model_answer)[:60] in shown


def test_works_when_storage_is_blocked(browser: Browser, server: Server, trait: Trait) -> None:
    s = open_session(browser)
    s.context.add_init_script(
        "Object.defineProperty(window, 'localStorage', "
        "{get() { throw new DOMException('blocked', 'SecurityError'); }});"
    )
    page = s.page
    page.goto(server.url(f"traits/{TRAIT}/"))
    answer_correctly(page, trait, 0)
    expect(page.locator(".tb-progress__text")).to_contain_text("1 of")
    _, ex = first(trait, Reflection)
    page.fill(f"{box(page, ex.id)} textarea", "note")
    expect(page.locator(f"{box(page, ex.id)} .tb-saved")).to_contain_text("Not saved")
    errors, external = s.errors, s.guard.external
    s.context.close()
    # Material's own scripts throw when storage is blocked; ours must not.
    assert [e for e in errors if "selfcheck.js" in e] == [] and external == []


def test_keyboard_only_completes_each_kind(session: Session, server: Server, trait: Trait) -> None:
    page = session.page
    kb = page.keyboard
    _, single = first(trait, SingleChoice)
    assert isinstance(single, SingleChoice)
    # Navigating to the exercise's anchor moves the keyboard's starting point there.
    page.goto(server.url(f"traits/{TRAIT}/#ex-{TRAIT}-{single.id}"))
    kb.press("Tab")
    expect(page.locator(f"#ex-{TRAIT}-{single.id}-a")).to_be_focused()
    right = next(i for i, o in enumerate(single.options) if o.correct)
    kb.press("Space")  # selects A
    for _ in range(right):
        kb.press("ArrowDown")  # radios: arrows move and select
    kb.press("Tab")  # the Check answer button
    expect(page.locator(f"{box(page, single.id)} >> text=Check answer")).to_be_focused()
    kb.press("Enter")
    expect(page.locator(f"{box(page, single.id)} .tb-result")).to_contain_text("✓ Correct.")
    expect(page.locator(f"{box(page, single.id)} .tb-result")).to_be_focused()

    _, multi = first(trait, MultipleSelect)
    assert isinstance(multi, MultipleSelect)
    page.goto("about:blank")  # a fresh load: a fragment-only change would keep the old focus
    page.goto(server.url(f"traits/{TRAIT}/#ex-{TRAIT}-{multi.id}"))
    kb.press("Tab")
    for option in multi.options:
        if option.correct:
            kb.press("Space")
        kb.press("Tab")
    expect(page.locator(f"{box(page, multi.id)} >> text=Check answer")).to_be_focused()
    kb.press("Enter")
    expect(page.locator(f"{box(page, multi.id)} .tb-result")).to_contain_text("✓ Correct.")

    _, refl = first(trait, Reflection)
    page.goto("about:blank")
    page.goto(server.url(f"traits/{TRAIT}/#ex-{TRAIT}-{refl.id}"))
    kb.press("Tab")
    expect(page.locator(f"{box(page, refl.id)} textarea")).to_be_focused()
    kb.type("Typed without a mouse.")
    kb.press("Tab")
    kb.press("Enter")  # opens the guidance
    expect(page.locator(f"{box(page, refl.id)} details")).to_have_attribute("open", "")
    expect(page.locator(".tb-progress__text")).to_contain_text("3 of")
    # What was done with the keyboard is what the browser keeps: both answers right first time.
    saved = json.loads(page.evaluate("localStorage.getItem('/traitbook.progress')"))
    for ex in (single, multi):
        record = saved["exercises"][f"{TRAIT}/{ex.id}"]
        assert record["correct"] is True and record["first"] is True, (ex.id, record)


def test_without_javascript_everything_is_readable(browser: Browser, server: Server, trait: Trait) -> None:
    s = open_session(browser, java_script_enabled=False)
    page = s.page
    page.goto(server.url(f"traits/{TRAIT}/"))
    for ex in trait.exercises:
        sel = box(page, ex.id)
        if isinstance(ex, (Reflection, Task)):
            assert plain(ex.prompt) in seen(page.locator(f"{sel} .tb-exercise__prompt").inner_text())
            page.click(f"{sel} summary")
            shown = seen(page.locator(f"{sel} details").inner_text())
            answer = ex.model_answer if isinstance(ex, Task) else (ex.example or ex.guidance)
            assert plain(answer) in shown
            continue
        expect(page.locator(f"{sel} legend")).to_have_text(ex.question)
        for i, option in enumerate(ex.options):
            expect(page.locator(f"label[for='ex-{TRAIT}-{ex.id}-{option_letter(i)}']")).to_contain_text(option.text)
        page.click(f"{sel} summary")
        answers = seen(page.locator(f"{sel} details").inner_text())
        for option in ex.options:
            assert plain(option.feedback) in answers
        assert ("Correct" in answers) and ("Not the best choice" in answers)
    assert page.locator(".tb-result").count() == 0  # nothing of the JS layer
    external = s.guard.external
    s.context.close()
    assert external == []


@pytest.mark.parametrize("path", ["", f"traits/{TRAIT}/", "reference/glossary/", "reference/answer-key/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations(session: Session, server: Server, trait: Trait, path: str, scheme: str) -> None:
    page = session.page
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.goto(server.url(path))
    if path.startswith("traits/"):
        answer_correctly(page, trait, 0)  # also check the feedback the script adds
    results = Axe().run(page)
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == [], json.dumps(results.response["violations"], indent=1)[:3000]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshot_with_feedback(session: Session, server: Server, trait: Trait, scheme: str) -> None:
    page = session.page
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.set_viewport_size({"width": 1100, "height": 1000})
    page.goto(server.url(f"traits/{TRAIT}/"))
    _, ex = first(trait, SingleChoice)
    assert isinstance(ex, SingleChoice)
    wrong = next(i for i, o in enumerate(ex.options) if not o.correct)
    page.check(f"{box(page, ex.id)}-{option_letter(wrong)}")
    page.click(f"{box(page, ex.id)} >> text=Check answer")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"selfcheck-{scheme}.png"
    page.locator(box(page, ex.id)).scroll_into_view_if_needed()
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000


def test_phone_width_has_no_horizontal_scroll(session: Session, server: Server) -> None:
    page = session.page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(server.url(f"traits/{TRAIT}/"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_assets_stay_within_budget() -> None:
    """The whole interactive layer (self-check, self-assessment, paths, search and its worker;
    print styles included) as served, before compression. The search worker (about 3 KB) runs
    off the page's main thread and blocks no paint; with it the budget is 34 KB."""
    assets = ROOT / TARGET
    size = sum(p.stat().st_size for p in assets.iterdir() if p.suffix in (".js", ".css"))
    assert size <= 34_000, f"our JS + CSS is {size} bytes (budget 34 KB)"


def test_served_assets_are_built_from_their_sources() -> None:
    served = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / TARGET).iterdir()}
    assert served == built_assets(), "run: python -m generator assets"
    assert run_cli("--root", str(ROOT), "assets", "--check").code == 0
