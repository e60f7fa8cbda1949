"""The printed handbook: a real PDF rendered by WeasyPrint, read back with pypdf."""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown
import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from tests.browser import ARTIFACTS
from tests.conftest import MINI, run_command
from traitbook import Project, load_and_validate
from traitbook._internal.catalogue.model import Catalogue, Reflection, Task, criterion_texts
from traitbook._internal.handbook.pdf import HandbookPdf, render_handbook
from traitbook._internal.handbook.printhtml import HandbookOptions, chapters, edition_date, handbook_html
from traitbook._internal.handbook.typeset import HandbookError, lay_out
from traitbook._internal.plan import Plan, plan

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


@dataclass
class Rendered:
    reader: PdfReader
    path: Path
    texts: list[str]  # per page, whitespace removed (robust to line wrapping)
    raw: list[str]

    def outline(self) -> dict[str, int]:
        """Top-level bookmark title → 1-based page."""
        out: dict[str, int] = {}
        for item in self.reader.outline:
            if isinstance(item, Destination):
                page = self.reader.get_destination_page_number(item)
                assert page is not None
                out[str(item.title)] = page + 1
        return out


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render(tmp: Path, page_plan: Plan, options: HandbookOptions, name: str) -> Rendered:
    return read_back(tmp, render_handbook(page_plan, options, environ={}), name)


def read_back(tmp: Path, rendered: HandbookPdf, name: str) -> Rendered:
    path = tmp / name
    path.write_bytes(rendered.data)
    reader = PdfReader(path)
    assert len(reader.pages) == rendered.pages
    raw = [p.extract_text() for p in reader.pages]
    return Rendered(reader, path, [squash(t) for t in raw], raw)


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory, real_handbook: HandbookPdf) -> Rendered:
    return read_back(tmp_path_factory.mktemp("hb"), real_handbook, "handbook.pdf")


@pytest.fixture(scope="module")
def worksheet(tmp_path_factory: pytest.TempPathFactory, real_worksheet: HandbookPdf) -> Rendered:
    return read_back(tmp_path_factory.mktemp("ws"), real_worksheet, "worksheet.pdf")


def catalogue(page_plan: Plan) -> Catalogue:
    return page_plan.catalogue


def feedback_snippets(page_plan: Plan) -> Iterator[str]:
    """A distinctive piece of every option's feedback, every reflection's guidance and example,
    and every task's model answer."""
    for trait in catalogue(page_plan).traits:
        for ex in trait.exercises:
            if isinstance(ex, Reflection):
                texts = [ex.guidance, *([ex.example] if ex.example else [])]
            elif isinstance(ex, Task):
                texts = [ex.model_answer]
            else:
                texts = [o.feedback for o in ex.options]
            for text in texts:
                rendered = html_lib.unescape(re.sub(r"<[^>]+>", " ", markdown.markdown(text)))
                yield squash(rendered)[:40]


def test_outline_and_contents_give_the_right_page_for_every_chapter(handbook: Rendered, real_plan: Plan) -> None:
    outline = handbook.outline()
    toc = handbook.raw[1]
    assert toc.startswith("Contents")
    for chapter in chapters(real_plan):
        page = outline[chapter.trait.title]
        # The contents line: "<n> <title> ....... <page>"
        match = re.search(rf"^{chapter.number}\s+{re.escape(chapter.trait.title)}\s*\.+\s*(\d+)$", toc, re.M)
        assert match, chapter.trait.title
        assert int(match.group(1)) == page, chapter.trait.title
        # Each chapter starts on a new page, at its top.
        assert handbook.texts[page - 1].startswith(squash(f"Chapter {chapter.number} ·")), chapter.trait.title
    for appendix in ("Glossary", "Framework crosswalk", "Paths", "Self-assessment", "Answer key", "Sources"):
        assert any(title.endswith(appendix) for title in outline)


def test_answer_key_holds_every_exercise_and_chapters_hold_no_answers(handbook: Rendered, real_plan: Plan) -> None:
    outline = handbook.outline()
    key_start = next(p for t, p in outline.items() if t.endswith("Answer key"))
    key_end = next(p for t, p in outline.items() if t.endswith("Sources"))
    key_text = "".join(handbook.texts[key_start - 1 : key_end - 1])
    first_chapter = outline[chapters(real_plan)[0].trait.title]
    glossary = next(p for t, p in outline.items() if t.endswith("Glossary"))
    chapter_text = "".join(handbook.texts[first_chapter - 1 : glossary - 1])
    for chapter in chapters(real_plan):
        for item in chapter.view.exercises:
            assert squash(f"Answer {chapter.number}.{item.number}") in key_text
            assert squash(f"Exercise {chapter.number}.{item.number}") in chapter_text
    for snippet in feedback_snippets(real_plan):
        assert snippet in key_text, snippet
        assert snippet not in chapter_text, snippet


def test_answers_point_back_to_the_question_page(handbook: Rendered, real_plan: Plan) -> None:
    chapter = chapters(real_plan)[0]
    key_text = "".join(handbook.texts)
    match = re.search(squash(f"Answer {chapter.number}.1") + r"\(questiononpage(\d+)\)", key_text)
    assert match
    assert squash(f"Exercise {chapter.number}.1") in handbook.texts[int(match.group(1)) - 1]


def test_related_traits_say_see_page(handbook: Rendered, real_plan: Plan) -> None:
    chapter = chapters(real_plan)[0]
    related = chapter.view.related[0].trait
    outline = handbook.outline()
    text = "".join(handbook.texts)
    assert squash(f"{related.title} (see page {outline[related.title]})") in text


@pytest.mark.parametrize("which", ["handbook", "worksheet"])
def test_paths_and_the_self_assessment_worksheet_are_appendices(
    which: str, request: pytest.FixtureRequest, real_plan: Plan
) -> None:
    book: Rendered = request.getfixturevalue(which)
    outline = book.outline()
    start = next(p for t, p in outline.items() if t.endswith("Paths"))
    worksheet = next(p for t, p in outline.items() if t.endswith("Self-assessment"))
    end = next(p for t, p in outline.items() if t.endswith(("Answer key", "Sources")) and p > worksheet)
    paths_text = "".join(book.texts[start - 1 : worksheet - 1])
    for view in real_plan.paths:
        assert squash(view.path.title) in paths_text
        for step in view.steps:  # each step points to its chapter's page
            assert squash(f"{step.trait.title} (page {outline[step.trait.title]}), target level {step.target}") in (
                paths_text
            )
    sheet = "".join(book.texts[worksheet - 1 : end - 1])
    for level in real_plan.catalogue.site.self_assessment.levels:
        assert squash(level.descriptor) in sheet
    for chapter in chapters(real_plan):
        assert squash(chapter.trait.title) in sheet


def test_fonts_are_embedded_and_page_size_is_a4(handbook: Rendered) -> None:
    fonts = 0
    for page in handbook.reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font: Any = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            fonts += 1
    assert fonts > 0


def test_cover_has_title_edition_and_catalogue_date(handbook: Rendered, real_plan: Plan) -> None:
    site = catalogue(real_plan).site
    cover = handbook.texts[0]
    assert squash(site.title) in cover and squash(f"Edition {site.edition}") in cover
    assert site.date and site.date in cover
    assert handbook.reader.metadata is not None and handbook.reader.metadata.title == site.title


def test_worksheet_has_no_answer_key(worksheet: Rendered, real_plan: Plan) -> None:
    assert not any(title.endswith("Answer key") for title in worksheet.outline())
    everything = "".join(worksheet.texts)
    assert "Answer1.1" not in everything
    for snippet in feedback_snippets(real_plan):
        assert snippet not in everything, snippet


def test_letter_paper(tmp_path: Path) -> None:
    page_plan = plan(load_and_validate(Project.at(MINI.parent, catalogue=MINI)).catalogue)
    letter = render(tmp_path, page_plan, HandbookOptions(paper="Letter"), "letter.pdf")
    box = letter.reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == LETTER


def test_reflections_and_tasks_leave_lined_space(real_plan: Plan) -> None:
    html = handbook_html(real_plan, HandbookOptions(), environ={})
    written = [e for t in catalogue(real_plan).traits for e in t.exercises if isinstance(e, (Reflection, Task))]
    assert any(isinstance(e, Task) for e in written)
    assert html.count('<div class="lines"') == len(written)
    # Tasks get more room than reflections: twelve lines against eight.
    blocks = re.findall(r'<div class="lines" aria-hidden="true">(.*?)</div>\s*(?:<p|</section)', html, re.S)
    assert sorted({b.count('class="line"') for b in blocks}) == [8, 12]


def test_the_answer_key_has_model_answers_and_example_answers(real_plan: Plan) -> None:
    html = handbook_html(real_plan, HandbookOptions(), environ={})
    key = html[html.index('id="answer-key"') :]
    for trait in catalogue(real_plan).traits:
        for e in trait.exercises:
            if isinstance(e, Task):
                for text in criterion_texts(e.criteria[0]):  # a rubric row: the criterion and both levels
                    assert squash(text) in squash(html_lib.unescape(key))
            if isinstance(e, (Task, Reflection)):
                answer = e.model_answer if isinstance(e, Task) else e.example
                assert answer is not None
                first_words = " ".join(re.sub(r"[*_`#>]", "", answer).split()[:6])
                assert squash(first_words) in squash(html_lib.unescape(re.sub(r"<[^>]+>", " ", key))), first_words
    worksheet = handbook_html(real_plan, HandbookOptions(worksheet=True), environ={})
    assert 'id="answer-key"' not in worksheet and "One model answer" not in worksheet


def test_date_comes_from_catalogue_or_source_date_epoch_never_the_clock(real_plan: Plan) -> None:
    site = catalogue(real_plan).site
    undated = site.model_copy(update={"date": None})
    assert edition_date(site, {"SOURCE_DATE_EPOCH": "0"}) == site.date
    assert edition_date(undated, {"SOURCE_DATE_EPOCH": "1700000000"}) == "2023-11-14"
    assert edition_date(undated, {}) is None


def test_handbook_html_is_deterministic(real_plan: Plan) -> None:
    options = HandbookOptions()
    assert handbook_html(real_plan, options, environ={}) == handbook_html(real_plan, options, environ={})


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://example.org/track.png">',
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
        '<img src="file:///etc/hostname">',
    ],
)
def test_renderer_fetches_nothing_but_its_own_files(html: str) -> None:
    with pytest.raises(HandbookError, match="only load its own files"):
        lay_out(f"<html><body>{html}<p>x</p></body></html>")


def test_cli_writes_both_pdfs_and_skips_unchanged(project: Path) -> None:
    from tests.conftest import run_cli

    first = run_cli("--root", str(project), "handbook")
    assert first.code == 0, first.err
    assert "downloads/handbook.pdf" in first.out and "downloads/worksheet.pdf" in first.out
    pdf = project / "docs" / "downloads" / "handbook.pdf"
    mtime = pdf.stat().st_mtime_ns
    second = run_cli("--root", str(project), "handbook")
    assert second.out.startswith("handbook: nothing to render")
    assert pdf.stat().st_mtime_ns == mtime
    trait = project / "catalogue" / "traits" / "three.yml"
    trait.write_text(trait.read_text(encoding="utf-8").replace("The third trait.", "The third trait, edited."))
    edited = run_cli("--root", str(project), "handbook")
    assert edited.code == 0, edited.err
    assert "downloads/handbook.pdf" in edited.out and "downloads/worksheet.pdf" in edited.out, edited.out
    assert "The third trait, edited." in " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    letter = project / "letter.pdf"
    third = run_cli("--root", str(project), "handbook", "--paper", "Letter", "--worksheet", "--output", str(letter))
    assert third.code == 0 and "Letter, worksheet" in third.out
    assert round(float(PdfReader(letter).pages[0].mediabox.width)) == 612


def test_page_images_for_review(handbook: Rendered, real_plan: Plan) -> None:
    """Page 1 and the first chapter page as PNG (test artifacts; one is in the README)."""
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is missing; .ci/run installs poppler-utils")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    first_chapter = handbook.outline()[chapters(real_plan)[0].trait.title]
    for page, name in ((1, "handbook-cover"), (first_chapter, "handbook-chapter")):
        prefix = ARTIFACTS / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page), "-l", str(page),
             str(handbook.path), str(prefix)],
            check=True,
        )  # fmt: skip
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 5_000


def test_python_m_generator_handbook_runs_as_a_command(project: Path, tmp_path: Path) -> None:
    # The real entry point: generator/__main__.py starts the fork server before the CLI loads.
    target = tmp_path / "handbook.pdf"
    result = run_command("--root", str(project), "handbook", "--output", str(target), timeout=600)
    assert result.returncode == 0, result.stderr
    assert "handbook.pdf" in result.stdout
    assert len(PdfReader(target).pages) >= 10
