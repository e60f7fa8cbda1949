"""Languages: the message files, catalogue overrides, the lint for missing strings, and the real
catalogue built in German (site, self-check controls and handbook) with no English generator
string left anywhere."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.browser import Server, Session, serve
from tests.conftest import ROOT, Run
from tests.htmlscan import page_text
from tests.sitebuild import copy_project, mkdocs_build
from traitbook._internal.i18n import (
    BASE,
    available,
    base_strings,
    fillers,
    grammar,
    language_file,
    messages,
)
from traitbook._internal.infra.layout import Project
from traitbook._internal.pipeline import generate
from traitbook._internal.scaffold.language import localise_mkdocs

SOURCES = ROOT / "generator" / "traitbook"


def _flat_yaml(path: Path) -> Iterator[str]:
    def walk(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
        elif isinstance(node, str):
            yield node

    yield from walk(yaml.safe_load(path.read_text(encoding="utf-8")))


# ---- the message files ----


@pytest.mark.parametrize("code", [c for c in available() if c != BASE])
def test_every_language_file_has_every_key_with_the_same_placeholders(code: str) -> None:
    """The same placeholders for each string's filler; the unit's are each language's own
    (German names the unit with words that agree with its gender, English does not)."""
    english, other = base_strings(), language_file(code)
    assert other is not None
    assert sorted(other) == sorted(english), "keys differ from en.yml"
    for key, text in english.items():
        assert fillers(other[key], grammar(code).names()) == fillers(text, grammar(BASE).names()), key
        # Leading and trailing spaces join a message to what the script adds next to it.
        assert (other[key][:1] == " ") == (text[:1] == " ") and (other[key][-1:] == " ") == (text[-1:] == " "), key


def test_every_english_message_is_used_by_the_generator() -> None:
    sources = "\n".join(
        p.read_text(encoding="utf-8")
        for p in SOURCES.rglob("*")
        if p.suffix in {".py", ".j2", ".js"} and "__pycache__" not in p.parts
    )
    # Keys built at run time: kind.<exercise kind>, level.<n>.*; the script's keys without "js.".
    dynamic = re.compile(r"^(kind|level)\.")
    unused = [
        key
        for key in base_strings()
        if not dynamic.match(key)
        and f'"{key}"' not in sources
        and not (key.startswith("js.") and f'"{key[3:]}"' in sources)
    ]
    assert unused == []


def test_the_page_carries_the_scripts_strings_and_the_language(tmp_path: Path) -> None:
    project = _german_catalogue(tmp_path)
    _, _, pages = generate(Project.at(project))
    settings = yaml.safe_load(str(pages["_generated/site.yml"]))
    assert settings["theme"]["language"] == "de"
    assert settings["extra"]["traitbook"]["messages"] == messages("de").group("js")
    assert settings["extra"]["traitbook"]["messages"]["check"] == language_file("de")["js.check"]  # type: ignore[index]


# ---- overrides and the lint ----


def _with_site(project: Path, extra: str) -> None:
    path = project / "catalogue" / "catalogue.yml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_catalogue_yml_overrides_a_single_string(project: Path, cli: object) -> None:
    _with_site(project, 'messages:\n  trait.pitfalls: "Traps: where it goes wrong"\n')
    _, _, pages = generate(Project.at(project))
    trait_pages = [text for path, text in pages.items() if path.startswith("traits/") and path[7:] != "index.md"]
    assert any("## Traps&#58; where it goes wrong" in str(text) for text in trait_pages)
    assert not any("## Pitfalls" in str(text) for text in trait_pages)


def test_bad_overrides_are_reported_at_their_line_in_one_run(project: Path, cli: object) -> None:
    _with_site(project, 'messages:\n  trait.pitfals: Traps\n  exercise.title: Question\n  trait.pitfalls: "Traps {"\n')
    lines = (project / "catalogue" / "catalogue.yml").read_text(encoding="utf-8").splitlines()
    result: Run = cli("--root", str(project), "check")  # type: ignore[operator]
    assert result.code == 2
    first = lines.index("  trait.pitfals: Traps") + 1
    # An unknown key at the key; a wrong text where the text starts.
    assert (
        f"catalogue.yml:{first}:3: messages.trait.pitfals: unknown message key 'trait.pitfals'; "
        "did you mean 'trait.pitfalls'?" in result.err
    )
    assert (
        f"catalogue.yml:{first + 1}:19: messages.exercise.title: placeholders must be exactly those of "
        "the English string ({number})" in result.err
    )
    assert f"catalogue.yml:{first + 2}:19: messages.trait.pitfalls: a brace that is not part of a placeholder" in (
        result.err
    )
    assert "Traceback" not in result.err


def test_check_reports_strings_a_language_lacks(project: Path, cli: object) -> None:
    path = project / "catalogue" / "catalogue.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: fr"), encoding="utf-8")
    result: Run = cli("--root", str(project), "check")  # type: ignore[operator]
    assert result.code == 2
    assert "language: no message file for language 'fr' (de, en exist)" in result.err
    assert f"{len(base_strings())} strings would be shown in English" in result.err
    # A regional variant uses its language's file: nothing is missing.
    path.write_text(path.read_text(encoding="utf-8").replace("language: fr", "language: de-AT"), encoding="utf-8")
    assert "message file" not in cli("--root", str(project), "check").err  # type: ignore[operator]
    assert messages("de-AT").missing == ()


def test_the_messages_command_prints_what_a_language_lacks_ready_to_translate(project: Path, cli: object) -> None:
    path = project / "catalogue" / "catalogue.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: fr"), encoding="utf-8")
    _with_site(project, "messages:\n  trait.pitfalls: Pièges\n")
    printed: Run = cli("--root", str(project), "messages")  # type: ignore[operator]
    assert printed.code == 0, printed.err
    block = yaml.safe_load(printed.out)["messages"]
    assert set(block) == set(base_strings()) - {"trait.pitfalls"}  # what is set already is left out
    assert block["exercise.title"] == base_strings()["exercise.title"]
    # Translated (here: marked) and put under messages:, the catalogue passes the rule.
    done = {key: f"«{text}»" for key, text in block.items()} | {"trait.pitfalls": "Pièges"}
    text = path.read_text(encoding="utf-8").split("messages:\n")[0]
    path.write_text(text + yaml.safe_dump({"messages": done}, allow_unicode=True), encoding="utf-8")
    result: Run = cli("--root", str(project), "check")  # type: ignore[operator]
    assert result.code == 0, result.err
    assert cli("--root", str(project), "messages").err.startswith("nothing to translate")  # type: ignore[operator]
    assert len(yaml.safe_load(cli("--root", str(project), "messages", "--all").out)["messages"]) == len(  # type: ignore[operator]
        base_strings()
    )


def test_the_messages_command_works_on_a_catalogue_with_problems_and_checks_its_language(
    project: Path, cli: object
) -> None:
    path = project / "catalogue" / "catalogue.yml"
    text = (
        path.read_text(encoding="utf-8").replace("language: en", "language: fr").replace("title: Mini", "title: 12 #")
    )
    path.write_text(text + "messages:\n  trait.pitfalls: Pièges\n  2: deux\n", encoding="utf-8")
    assert cli("--root", str(project), "check").code == 2  # type: ignore[operator]
    printed: Run = cli("--root", str(project), "messages")  # type: ignore[operator]
    assert printed.code == 0, printed.err
    assert "trait.pitfalls" not in yaml.safe_load(printed.out)["messages"]
    for bad, hint in (("fr_FR", "; did you mean 'fr-FR'?"), ("de-", "")):
        refused: Run = cli("--root", str(project), "messages", "--language", bad)  # type: ignore[operator]
        assert refused.code == 1 and refused.out == ""
        assert f"error: {bad!r} is not a language tag (BCP 47: 'en', 'de-AT', 'zh-Hant'){hint}" in refused.err


def test_a_catalogue_may_accept_english_for_strings_its_language_lacks(project: Path, cli: object) -> None:
    path = project / "catalogue" / "catalogue.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: fr"), encoding="utf-8")
    assert cli("--root", str(project), "check").code == 2  # type: ignore[operator]
    assert "minimums:" not in path.read_text(encoding="utf-8")
    _with_site(project, "minimums:\n  translated: false\n")
    result: Run = cli("--root", str(project), "check")  # type: ignore[operator]
    assert result.code == 0 and "message file" not in result.err, result.err


def test_a_right_to_left_language_builds_with_english_words(project: Path) -> None:
    """Right-to-left layout is out of scope (README), but such a catalogue must still build."""
    path = project / "catalogue" / "catalogue.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: ar"), encoding="utf-8")
    from traitbook._internal.handbook.printhtml import HandbookOptions, handbook_html

    _, page_plan, pages = generate(Project.at(project))
    assert all(pages[p] for p in pages)
    assert '<html lang="ar">' in handbook_html(page_plan, HandbookOptions())
    assert page_plan.messages.missing == tuple(sorted(base_strings()))


# ---- the real catalogue in German ----

GERMAN_PAGES = {
    "index.md": '---\ntitle: Start\n---\n\n# Willkommen\n\nEin Kurs.\n\n--8<-- "_generated/trait-list.md"\n',
    "how-to-use.md": "# Anleitung\n\nLesen, üben, prüfen.\n",
    "about.md": "# Impressum\n\nVon uns.\n",
}
GERMAN_NAV = {
    "Home": "Start",
    "How to use": "Anleitung",
    "Traits": "Eigenschaften",
    "Paths": "Lernpfade",
    "Self-assessment": "Selbsteinschätzung",
    "Reference": "Nachschlagen",
    "About": "Impressum",
}


def _german_catalogue(tmp: Path) -> Path:
    """The real catalogue with ``language: de``, in a project whose own pages and navigation
    labels a German team would have written."""
    root = tmp / "de"
    copy_project(root, ROOT / "catalogue")
    path = root / "catalogue" / "catalogue.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("language: en", "language: de"), encoding="utf-8")
    for name, text in GERMAN_PAGES.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    for english, german in GERMAN_NAV.items():
        config = config.replace(f"  - {english}:", f"  - {german}:")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def english_fragments() -> list[str]:
    """The English generator text to look for: each message's words between placeholders,
    leaving out words the catalogue itself uses (its content is English) and fragments too
    short to tell apart from content."""
    content = " ".join(_flat_yaml(ROOT / "catalogue" / "catalogue.yml"))
    content += " ".join(t for p in sorted((ROOT / "catalogue" / "traits").glob("*.yml")) for t in _flat_yaml(p))
    found: set[str] = set()
    # Finished English (the unit's words filled in), so "Related traits" is looked for whole.
    for text in messages(BASE).strings.values():
        for raw in re.split(r"\{[A-Za-z_]+\}", text):
            piece = raw.strip(" :.,()·✓✗")
            if len(piece) < 6 or _occurs(piece, content):
                continue
            found.add(piece)
    return sorted(found)


def _occurs(fragment: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(fragment)}(?!\w)", text) is not None


def _visible(html: str) -> str:
    """The text a reader sees or hears: text outside scripts and styles, and the labels and titles of elements."""
    page = page_text(html)
    return " ".join([page.words(), *page.attributes("aria-label", "title", "alt", "placeholder")])


@pytest.fixture(scope="module")
def german_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A German course as `init --language de` starts it: mkdocs.yml's titles and switches in German."""
    root = _german_catalogue(tmp_path_factory.mktemp("german"))
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(localise_mkdocs(mkdocs.read_text(encoding="utf-8"), "de"), encoding="utf-8")
    mkdocs_build(root, handbook=True)
    return root


def test_the_fragments_cover_the_generators_words() -> None:
    fragments = english_fragments()
    # The test is only as good as its list: headings, buttons and handbook words must be in it.
    for expected in (
        "What it looks like in practice",
        "Check answer",
        "Reset all progress",
        "How to use this handbook",
    ):
        assert expected in fragments
    assert len(fragments) > 150


def test_no_english_generator_string_on_any_page_of_the_german_site(german_site: Path) -> None:
    fragments = english_fragments()
    pages = sorted((german_site / "site").rglob("*.html"))
    assert len(pages) > 20
    leaks: list[str] = []
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="de"' in html, page
        text = _visible(html)
        leaks += [f"{page.relative_to(german_site)}: {f!r}" for f in fragments if _occurs(f, text)]
    assert leaks == []


def test_the_german_handbook_and_worksheet_have_no_english_generator_string(german_site: Path) -> None:
    from pypdf import PdfReader

    fragments = english_fragments()
    for name in ("handbook.pdf", "worksheet.pdf"):
        reader = PdfReader(german_site / "docs" / "downloads" / name)
        assert str(reader.root_object["/Lang"]) == "de"
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        assert "Inhalt" in text and "Seite 2 von" in text
        assert [f for f in fragments if _occurs(f, text)] == []


def test_the_german_exports_use_german_grader_headings(german_site: Path) -> None:
    xml = (german_site / "docs" / "downloads" / "traitbook-moodle.xml").read_text(encoding="utf-8")
    german = language_file("de") or {}
    assert german["export.guidance"] in xml and "What a good answer covers" not in xml


@pytest.fixture(scope="module")
def german_server(german_site: Path) -> Iterator[Server]:
    server = serve(german_site / "site")
    yield server
    server.stop()


def test_the_self_check_controls_speak_german(german_server: Server, session: Session) -> None:
    from playwright.sync_api import expect

    german = messages("de").strings  # finished text: the unit's words filled in
    fragments = [
        f for f in english_fragments() if f in " ".join(v for k, v in base_strings().items() if k.startswith("js."))
    ]
    page = session.page
    page.goto(german_server.url("traits/analytical/"))
    box = page.locator(".tb-exercise[data-kind='single']").first
    box.locator("input").first.check()
    box.get_by_role("button", name=german["js.check"]).click()
    expect(box.locator(".tb-result__title")).to_have_text(
        re.compile(f"^({re.escape(german['js.right'])}|{re.escape(german['js.wrong'])})$")
    )
    expect(box.get_by_role("button", name=german["js.retry"])).to_be_visible()
    expect(page.locator(".tb-progress")).to_contain_text(german["js.reset_trait"])
    for path in ("traits/analytical/", "", "self-assessment/", "paths/incident-responder/"):
        page.goto(german_server.url(path))
        page.wait_for_function("document.documentElement.classList.contains('tb-js')")
        text = page.evaluate("document.body.innerText")
        assert [f for f in fragments if _occurs(f, text)] == [], path
    page.goto(german_server.url(""))
    expect(page.locator(".tb-panel__title")).to_have_text(german["js.panel_title"])
