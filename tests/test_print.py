"""Printing a site page from the browser: content only, answers expanded, link targets shown."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from pypdf import PdfReader

from tests.browser import Server, Session, open_session
from tests.conftest import ROOT
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import SingleChoice


@pytest.fixture
def session(browser: Browser) -> Iterator[Session]:
    s = open_session(browser)
    yield s
    external = list(s.guard.external)
    s.context.close()
    assert external == []


def test_print_media_hides_chrome_and_expands_answers(session: Session, server: Server) -> None:
    trait = load_and_validate(Project.at(ROOT)).catalogue.trait("leader")
    exercise = next(e for e in trait.exercises if isinstance(e, SingleChoice))
    page = session.page
    page.goto(server.url("traits/leader/"))
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer", ".tb-actions"):
        assert not page.locator(selector).first.is_visible(), selector
    feedback = page.locator(f"#ex-leader-{exercise.id}-a-feedback")
    assert feedback.is_visible()
    # The heading is the catalogue's word for answers, written by the generator (no English in print.css).
    heading = page.evaluate("getComputedStyle(document.querySelector('details.tb-answer'), '::before').content")
    assert heading in ('"Answers"', "attr(data-print-label)"), heading
    assert page.locator("details.tb-answer").first.get_attribute("data-print-label") == "Answers"
    internal = page.evaluate("getComputedStyle(document.querySelector('.md-typeset a'), '::after').content")
    assert internal in ("none", "normal")

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert "Table of contents" not in text and "Search" not in text[:200]
    first_feedback = re.sub(r"[*_`]", "", exercise.options[0].feedback)
    assert " ".join(first_feedback.split())[:50] in text
    assert "Answers" in text


def test_printed_external_links_show_their_address(session: Session, server: Server) -> None:
    page = session.page
    page.goto(server.url("reference/sources/"))
    page.emulate_media(media="print")
    link = page.locator(".md-typeset a.tb-external").first
    href = link.get_attribute("href")
    assert href and href.startswith("https://")
    after = page.evaluate("getComputedStyle(document.querySelector('.md-typeset a.tb-external'), '::after').content")
    assert after == f'" ({href})"'
