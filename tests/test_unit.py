"""Naming the unit (issue 33): ``unit:`` in catalogue.yml renames "trait" wherever Traitbook
writes it (pages, navigation, page descriptions, the self-check script's words, the handbook,
the LMS exports), in English and in German, whose articles and pronouns agree with the unit's
gender. The default output is unchanged, and a bad unit is a one-line problem at its place."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser import Server, Session, serve
from tests.conftest import MINI, Run, run_cli
from tests.htmlscan import page_text
from tests.sitebuild import mkdocs_build, project_with_placeholder_pdfs
from traitbook._internal.handbook.printhtml import HandbookOptions, handbook_html
from traitbook._internal.i18n import (
    BASE,
    PLACEHOLDER,
    available,
    base_strings,
    fillers,
    grammar,
    language_file,
    messages,
)
from traitbook._internal.infra.layout import Project
from traitbook._internal.infra.write import as_bytes
from traitbook._internal.pipeline import generate, lms_exports

#: "trait" or "traits" as a word, in any case ("Traitbook" and "traits/" URLs are not read as text).
TRAIT = re.compile(r"\btraits?\b", re.IGNORECASE)
#: German's own word for the unit.
EIGENSCHAFT = re.compile(r"\bEigenschaft(en)?\b")

SKILL = {"singular": "skill", "plural": "skills"}
SKILL_DE = {"singular": "Skill", "plural": "Skills", "gender": "masculine"}
FAEHIGKEIT = {"singular": "Fähigkeit", "plural": "Fähigkeiten", "gender": "feminine"}
THEMA = {"singular": "Thema", "plural": "Themen", "gender": "neuter"}


# ---- a catalogue whose own text never says "trait" ----


def _neutral(node: Any) -> Any:
    """Catalogue text with "trait" written "thing": any "trait" left in the output is Traitbook's."""
    if isinstance(node, dict):
        return {key: _neutral(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_neutral(value) for value in node]
    if isinstance(node, str):
        return re.sub(r"\b([Tt])rait(s?)\b", lambda m: ("T" if m.group(1) == "T" else "t") + "hing" + m.group(2), node)
    return node


#: A path, so that the paths pages and the handbook's paths appendix are built too.
PATH = {
    "id": "starter",
    "title": "Starter",
    "audience": "People who are new.",
    "description": "A first route.",
    "steps": [{"trait": "one", "target": 2, "why": "It comes first."}, {"trait": "two", "target": 3, "why": "Next."}],
}


def neutral_catalogue(folder: Path, language: str = "en", unit: dict[str, str] | None = None, **extra: Any) -> Path:
    """The mini catalogue, its text free of "trait", with a path, in ``language``, named ``unit``."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "traits").mkdir(parents=True)
    for path in sorted((MINI / "traits").glob("*.yml")):
        data = _neutral(yaml.safe_load(path.read_text(encoding="utf-8")))
        (folder / "traits" / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = _neutral(yaml.safe_load((MINI / "catalogue.yml").read_text(encoding="utf-8")))
    site |= {"language": language, "paths": [PATH], **({"unit": unit} if unit else {}), **extra}
    (folder / "catalogue.yml").write_text(yaml.safe_dump(site, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


# ---- what a reader sees of each output ----

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
_ATTR_LIST = re.compile(r"\{\s*[:.#][^}]*\}|\{ [^}]*\}")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_text(text: str) -> str:
    """The words a generated Markdown page shows: its front matter's title and description (the
    meta description), then the text with link targets, attribute lists and tags left out; the
    labels, titles and alternative texts of its HTML count as shown."""
    shown: list[str] = []
    head = _FRONT_MATTER.match(text)
    if head:
        meta = yaml.safe_load(head.group(1)) or {}
        shown += [str(meta[key]) for key in ("title", "description") if key in meta]
        text = text[head.end() :]
    body = _ESCAPE.sub(r"\1", _ATTR_LIST.sub("", _LINK_TARGET.sub("]", text)))
    page = page_text(body)
    shown += [page.words(), *page.attributes("aria-label", "title", "alt", "placeholder")]
    return html.unescape(" ".join(shown))


def html_text(document: str) -> str:
    page = page_text(document)
    return " ".join([page.words(), *page.attributes("aria-label", "title", "alt", "placeholder", "content")])


def script_words(strings: dict[str, str]) -> str:
    """The self-check script's strings without the placeholders it fills ({trait} is a title)."""
    return " ".join(PLACEHOLDER.sub("", text) for text in strings.values())


def _qti_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return " ".join(archive.read(name).decode("utf-8") for name in sorted(archive.namelist()))


def written(catalogue: Path) -> dict[str, bytes]:
    """Everything Traitbook writes from ``catalogue``, as written: every file of docs/ (the
    navigation files included), the handbook's and the worksheet's print HTML, the LMS exports."""
    root = catalogue.parent
    _, page_plan, pages = generate(Project.at(root, catalogue=catalogue, docs=root / "docs"))
    files = {rel: as_bytes(text) for rel, text in pages.items()}
    for name, options in (("handbook.html", HandbookOptions()), ("worksheet.html", HandbookOptions(worksheet=True))):
        files[name] = handbook_html(page_plan, options, environ={}).encode()
    files |= {f"export.{fmt}": data for fmt, data in lms_exports(page_plan).items()}
    return files


def outputs(catalogue: Path) -> dict[str, str]:
    """What a reader sees of each output of :func:`written`: a page's words, the self-check
    script's words (the site settings carry them), the handbook's text, and the exports whole
    (markup included: no "trait" even there)."""
    seen: dict[str, str] = {}
    for name, data in written(catalogue).items():
        if name.endswith(".md"):
            seen[name] = markdown_text(data.decode())
        elif name == "_generated/site.yml":
            seen["the script's words"] = script_words(yaml.safe_load(data)["extra"]["traitbook"]["messages"])
        elif name.endswith(".html"):
            seen[name.removesuffix(".html")] = html_text(data.decode())
        elif name == "export.qti":
            seen["qti"] = _qti_text(data)
        elif name.startswith("export."):
            seen[name.removeprefix("export.")] = data.decode()
    return seen


def leaks(seen: dict[str, str], word: re.Pattern[str]) -> list[str]:
    return [
        f"{where}: …{text[max(0, m.start() - 40) : m.end() + 40]}…"
        for where, text in seen.items()
        for m in word.finditer(text)
    ]


# ---- the words: messages() fills the unit in once ----


def test_every_string_names_the_unit_the_catalogue_chose() -> None:
    words = messages("en", unit=_unit(SKILL)).strings
    # {trait} in js.gap is the script's placeholder for a title, not a word.
    assert [key for key, text in words.items() if TRAIT.search(PLACEHOLDER.sub("", text))] == []
    assert words["nav.all_traits"] == "All skills"
    assert words["table.trait"] == "Skill"
    assert words["js.reset_trait"] == "Reset this skill"
    assert words["handbook.rating_trait"] == "Skill: you show it when you"
    # Every other placeholder is left for its filler, unchanged.
    for key, text in words.items():
        assert fillers(text, frozenset()) == fillers(base_strings()[key], grammar(BASE).names()), key


def test_english_takes_a_or_an_by_the_sound_the_unit_starts_with() -> None:
    def note(singular: str) -> str:
        return messages("en", unit=_unit({"singular": singular, "plural": singular + "s"}))("handbook.terms_note")

    assert "where an ability appears" in note("ability")
    assert "where an outcome appears" in note("outcome")
    assert "where a skill appears" in note("skill")
    assert "where a unit appears" in note("unit")  # spelt with a vowel, spoken with a consonant
    assert "where an hour appears" in note("hour")  # the reverse
    assert "where a trait appears" in messages("en")("handbook.terms_note")


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (
            SKILL_DE,
            {
                "js.reset_trait": "Diesen Skill zurücksetzen",
                "js.confirm_reset_trait": "Ihre Antworten und Notizen zu diesem Skill löschen?",
                "trait.behaviours": "So zeigt sich der Skill in der Praxis",
                "trait.practices": "So entwickeln Sie diesen Skill",
                "crosswalk.none": "Noch kein Skill verweist auf einen Eintrag eines Kompetenzrahmens.",
                "profile.shows_when": "Sie zeigen ihn, wenn Sie:",
                "handbook.rating_trait": "Skill: Sie zeigen ihn, wenn Sie",
                "nav.all_traits": "Alle Skills",
            },
        ),
        (
            FAEHIGKEIT,
            {
                "js.reset_trait": "Diese Fähigkeit zurücksetzen",
                "js.confirm_reset_trait": "Ihre Antworten und Notizen zu dieser Fähigkeit löschen?",
                "trait.behaviours": "So zeigt sich die Fähigkeit in der Praxis",
                "trait.practices": "So entwickeln Sie diese Fähigkeit",
                "crosswalk.none": "Noch keine Fähigkeit verweist auf einen Eintrag eines Kompetenzrahmens.",
                "profile.shows_when": "Sie zeigen sie, wenn Sie:",
                "nav.all_traits": "Alle Fähigkeiten",
            },
        ),
        (
            THEMA,
            {
                "js.reset_trait": "Dieses Thema zurücksetzen",
                "trait.behaviours": "So zeigt sich das Thema in der Praxis",
                "profile.shows_when": "Sie zeigen es, wenn Sie:",
            },
        ),
    ],
)
def test_german_articles_and_pronouns_agree_with_the_units_gender(
    unit: dict[str, str], expected: dict[str, str]
) -> None:
    words = messages("de", unit=_unit(unit))
    for key, text in expected.items():
        assert words.strings[key] == text, key
    intro = words("handbook.intro")
    pronoun = {"masculine": "er", "feminine": "sie", "neuter": "es"}[unit["gender"]]
    article = {"masculine": "einen", "feminine": "eine", "neuter": "ein"}[unit["gender"]]
    assert intro.startswith(f"Jedes Kapitel behandelt {article} {unit['singular']}: was {pronoun} bedeutet")
    assert [key for key, text in words.strings.items() if EIGENSCHAFT.search(text)] == []


def test_the_default_unit_gives_the_words_of_the_files() -> None:
    """Without ``unit:``, each language's own word: the strings read as they always have."""
    assert messages("en")("js.reset_trait") == "Reset this trait"
    assert messages("de")("js.reset_trait") == "Diese Eigenschaft zurücksetzen"
    assert messages("de")("trait.behaviours") == "So zeigt sich die Eigenschaft in der Praxis"
    assert messages("de-AT")("js.reset_trait") == "Diese Eigenschaft zurücksetzen"  # the regional file's base
    assert messages("de-AT", unit=_unit(SKILL_DE))("js.reset_trait") == "Diesen Skill zurücksetzen"


def test_every_language_declares_its_unit_and_every_agreeing_word_for_every_gender() -> None:
    fills = {name for text in base_strings().values() for name in fillers(text, grammar(BASE).names())}
    for code in available():
        own = grammar(code)
        assert own.default.singular and own.default.plural, code
        # A filler's placeholder named like one of the unit's would be filled too early.
        assert not own.names() & fills, code
        if own.by_gender:
            assert own.default.gender in own.genders, code
            assert all(sorted(forms) == list(own.genders) for forms in own.by_gender.values()), code
        # The unit section is not a string: no language file's strings hold it.
        assert not any(key.startswith("unit.") for key in language_file(code) or {}), code
        # Every placeholder a language's strings use is either a filler's or the unit's.
        used = {name for text in (language_file(code) or {}).values() for name in fillers(text, own.names())}
        assert used <= fills, code


def test_a_language_without_a_file_names_the_unit_in_the_english_strings() -> None:
    words = messages("fr", unit=_unit({"singular": "compétence", "plural": "compétences"}))
    assert words("nav.all_traits") == "All compétences"
    assert grammar("fr").genders == ()


def _unit(data: dict[str, str]) -> Any:
    from traitbook._internal.catalogue.model import UnitName

    return UnitName.model_validate(data, strict=True)


# ---- every output ----


def test_an_english_catalogue_of_skills_says_skill_everywhere(tmp_path: Path) -> None:
    seen = outputs(neutral_catalogue(tmp_path / "catalogue", unit=SKILL))
    assert leaks(seen, TRAIT) == []
    every = " ".join(seen.values())
    for words in ("All skills", "Related skills", "Reset this skill", "Skill: you show it when you"):
        assert words in every, words
    assert "skills in this category" in seen["categories/alpha.md"]  # a generated page description
    assert "All skills" in seen["traits/SUMMARY.md"]  # the navigation
    assert "Work through the skills in this order" in seen["paths/starter.md"]
    assert "Each chapter covers one skill" in seen["handbook"]
    assert "Rate yourself on each skill" in seen["worksheet"]
    # Without a unit, the same catalogue says "trait": the check above would see it.
    assert leaks(outputs(neutral_catalogue(tmp_path / "catalogue")), TRAIT) != []


@pytest.mark.parametrize("unit", [SKILL_DE, FAEHIGKEIT], ids=["masculine", "feminine"])
def test_a_german_catalogue_names_its_unit_with_agreeing_words_everywhere(tmp_path: Path, unit: dict[str, str]) -> None:
    seen = outputs(neutral_catalogue(tmp_path / "catalogue", "de", unit))
    assert leaks(seen, EIGENSCHAFT) == []
    assert leaks(seen, TRAIT) == []
    words = messages("de", unit=_unit(unit))
    every = " ".join(seen.values())
    for key in ("js.reset_trait", "trait.behaviours", "trait.practices", "trait.related", "nav.all_traits"):
        assert words(key) in every, key
    handbook = seen["handbook"]
    assert words("handbook.rating_trait") in handbook and words("handbook.intro") in handbook
    assert f"{unit['plural']} dieser Kategorie" in seen["categories/alpha.md"]


@pytest.mark.parametrize(("language", "unit"), [("en", {"singular": "trait", "plural": "traits"}), ("de", None)])
def test_naming_the_default_unit_changes_nothing(tmp_path: Path, language: str, unit: dict[str, str] | None) -> None:
    """``unit:`` set to the language's own word gives the output of no ``unit:``, byte for byte
    (tests/test_golden.py pins the default output itself)."""
    own = grammar(language).default
    spelt = unit or {"singular": own.singular, "plural": own.plural, "gender": own.gender or ""}
    plain, named = (
        written(neutral_catalogue(tmp_path / "a", language)),
        written(neutral_catalogue(tmp_path / "b", language, spelt)),
    )
    assert len(plain) > 20 and plain == named


HOSTILE = {"singular": "<img src=x onerror=alert(1)>", "plural": "*stars* & <b>bold</b> [a](javascript:x)"}


def test_a_unit_that_looks_like_markup_is_shown_as_written(tmp_path: Path) -> None:
    """The unit is written into Traitbook's own sentences, which are escaped for each output as
    a whole: what the author typed is shown, never read as Markdown or HTML."""
    import markdown

    from tests.test_hostile_markdown import SITE_EXTENSIONS

    files = written(neutral_catalogue(tmp_path / "catalogue", unit=HOSTILE))
    shown: list[str] = []
    for name, data in files.items():
        if not name.endswith((".md", ".html")):
            continue
        text = data.decode()
        head = _FRONT_MATTER.match(text)
        if head:  # read as YAML by the engine; Material prints the description as it is, so it is HTML-escaped
            shown.append(html.unescape(str(yaml.safe_load(head.group(1)).get("description", ""))))
            text = text[head.end() :]
        page = page_text(text if name.endswith(".html") else markdown.markdown(text, extensions=SITE_EXTENSIONS))
        # The mini catalogue's own Markdown has emphasis and links, but no image, bold or script link.
        assert [tag for tag, _ in page.tags if tag in ("img", "b")] == [], name
        assert ("href", "javascript:x") not in [attr for _, attrs in page.tags for attr in attrs], name
        shown.append(page.words())
    every = " ".join(shown)
    assert "All *stars* & <b>bold</b> [a](javascript:x)" in every  # a heading
    assert "The <img src=x onerror=alert(1)> page" in every  # a link's text
    assert "Each chapter covers one <img src=x onerror=alert(1)>" in every  # the handbook
    assert "Routes through the *stars* & <b>bold</b> [a](javascript:x) of Mini catalogue" in every  # a description
    assert yaml.safe_load(files["_generated/site.yml"])["extra"]["traitbook"]["messages"]["reset_trait"] == (
        "Reset this <img src=x onerror=alert(1)>"
    )


# ---- overrides and problems ----


def _project(tmp_path: Path, language: str = "en", unit: Any = None, **extra: Any) -> Path:
    neutral_catalogue(tmp_path / "catalogue", language, unit, **extra)
    (tmp_path / "docs").mkdir(exist_ok=True)
    return tmp_path


def test_overrides_may_name_the_unit_too(tmp_path: Path) -> None:
    project = _project(
        tmp_path,
        "de",
        SKILL_DE,
        messages={"js.reset_trait": "{Diesen} {unit} leeren", "trait.related": "Ähnliche {units}"},
    )
    result = run_cli("--root", str(project), "check", "--summary")
    assert result.code == 0, result.err
    _, page_plan, _ = generate(Project.at(project))
    assert page_plan.messages("js.reset_trait") == "Diesen Skill leeren"
    assert page_plan.messages("trait.related") == "Ähnliche Skills"


def _problems(project: Path) -> list[str]:
    result: Run = run_cli("--root", str(project), "check")
    assert result.code == 2 and "Traceback" not in result.err
    return [line for line in result.err.splitlines() if line.startswith("catalogue/")]


def _line_of(project: Path, text: str) -> int:
    lines = (project / "catalogue" / "catalogue.yml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


@pytest.mark.parametrize(
    ("language", "unit", "at", "message"),
    [
        ("en", {"singular": "", "plural": "skills"}, "singular:", "unit.singular: must not be empty"),
        ("en", {"singular": "skill"}, "unit:", "unit: plural is required"),
        ("en", {"singular": "skill {x}", "plural": "skills"}, "singular:", "unit.singular: must not contain { or }"),
        ("en", {"singular": "skill\nset", "plural": "skills"}, "singular:", "unit.singular: must be one line"),
        ("en", {"singular": " skill", "plural": "s"}, "singular:", "unit.singular: must not start or end with a space"),
        ("en", {"singular": "skill", "plural": 3}, "plural:", "unit.plural: must be text, not a number (3)"),
        (
            "en",
            {"singular": "s" * 61, "plural": "s"},
            "singular:",
            "unit.singular: too long (61 characters, at most 60)",
        ),
        ("en", {"singular": "skill", "plural": "skills", "genus": "m"}, "genus:", "unit.genus: unknown key 'genus'"),
        (
            "en",
            {"singular": "skill", "plural": "skills", "gender": "masculine"},
            "gender:",
            "unit.gender: 'masculine' is not a gender language 'en' knows: it has none",
        ),
        (
            "de",
            {"singular": "Skill", "plural": "Skills", "gender": "male"},
            "gender:",
            "unit.gender: 'male' is not a gender language 'de' knows; use one of: feminine, masculine, neuter",
        ),
        (
            "de",
            {"singular": "Skill", "plural": "Skills"},
            "unit:",
            "unit: gender is required in language 'de', whose words agree with it; one of: feminine, masculine, neuter",
        ),
        ("en", "skill", "unit:", "unit: must be a mapping of keys to values, not text ('skill')"),
    ],
)
def test_a_bad_unit_is_one_line_at_its_place(tmp_path: Path, language: str, unit: Any, at: str, message: str) -> None:
    """At the line to change: the wrong value, the unknown key, or the mapping a key is missing from."""
    project = _project(tmp_path, language, unit)
    problems = _problems(project)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"catalogue/catalogue.yml:{_line_of(project, at)}:"), problems[0]
    assert message in problems[0]


def test_the_gender_is_reported_even_when_the_rest_of_catalogue_yml_is_wrong(tmp_path: Path) -> None:
    project = _project(tmp_path, "de", {"singular": "Skill", "plural": "Skills", "gender": "male"}, title=12)
    problems = _problems(project)
    assert any("title: must be text" in p for p in problems)
    assert any("unit.gender: 'male'" in p for p in problems)


def test_an_override_may_use_only_the_unit_placeholders_of_its_language(tmp_path: Path) -> None:
    project = _project(tmp_path, "en", SKILL, messages={"nav.all_traits": "All {unitz}", "js.reset_trait": "{Diesen}"})
    problems = _problems(project)
    assert len(problems) == 2
    for key in ("nav.all_traits", "js.reset_trait"):
        assert any(
            f"messages.{key}: placeholders must be exactly those of the English string (none), besides the unit's" in p
            for p in problems
        ), key


# ---- the built site ----

HAND_WRITTEN = {
    "index.md": '# Welcome\n\nA course.\n\n--8<-- "_generated/trait-list.md"\n',
    "how-to-use.md": "# How to use\n\nRead, practise, check.\n",
    "about.md": "# About\n\nBy us.\n",
}


@pytest.fixture(scope="module")
def skill_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The neutral catalogue named skills, built by MkDocs, in a project whose own pages and
    navigation label an author would have written."""
    tmp = tmp_path_factory.mktemp("skills")
    root = project_with_placeholder_pdfs(tmp, neutral_catalogue(tmp / "catalogue", unit=SKILL))
    for name, text in HAND_WRITTEN.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config.replace("  - Traits: traits/", "  - Skills: traits/"), encoding="utf-8")
    return mkdocs_build(root)


def test_no_page_of_the_built_site_says_trait(skill_site: Path) -> None:
    pages = sorted(skill_site.rglob("*.html"))
    assert len(pages) > 10
    found: list[str] = []
    for page in pages:
        document = page.read_text(encoding="utf-8")
        script = re.search(r'<script type="application/json" id="tb-messages">(.*?)</script>', document, re.DOTALL)
        assert script is not None, page
        seen = {
            f"{page.relative_to(skill_site)}": html_text(document),
            f"{page.relative_to(skill_site)} (script)": script_words(json.loads(script.group(1))),
        }
        found += leaks(seen, TRAIT)
    assert found == []
    home = page_text((skill_site / "traits" / "index.html").read_text(encoding="utf-8")).words()
    assert "All skills" in home and "Skills" in home


@pytest.fixture(scope="module")
def skill_server(skill_site: Path) -> Iterator[Server]:
    server = serve(skill_site)
    yield server
    server.stop()


def test_the_self_check_controls_say_skill(skill_server: Server, session: Session) -> None:
    from playwright.sync_api import expect

    page = session.page
    page.goto(skill_server.url("traits/one/"))
    page.wait_for_function("document.documentElement.classList.contains('tb-js')")
    expect(page.get_by_role("button", name="Reset this skill")).to_be_visible()
    for path in ("traits/one/", "", "self-assessment/", "paths/starter/"):
        page.goto(skill_server.url(path))
        page.wait_for_function("document.documentElement.classList.contains('tb-js')")
        assert TRAIT.findall(page.evaluate("document.body.innerText")) == [], path
