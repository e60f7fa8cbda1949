"""Markdown fields are data: they can neither reach another file or host, nor reshape the
page, nor crash or stall the build.

Three layers: the rules on their own (each class written several ways), a property test that
renders whatever the rules accept through the site's own Markdown extensions and inspects the
HTML, and the command line on a catalogue with each hostile text in every Markdown field.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import markdown
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from tests.conftest import MINI, ROOT, run_cli, tree_digest
from traitbook._internal.catalogue import model
from traitbook._internal.catalogue.load import parse_document
from traitbook._internal.catalogue.safety import (
    MAX_BRACKETS,
    MAX_MARKDOWN_CHARS,
    MAX_NESTING,
    check_markdown,
    markdown_problems,
)
from traitbook._internal.markup.markdown import md_block

# --- the rules, class by class ------------------------------------------------------------

REFUSED: dict[str, list[str]] = {
    "snippet": [
        '--8<-- "docs/index.md"',
        "Intro\n\n--8<-- 'catalogue.yml'\n",
        ';--8<-- "x.md"',
        '-8<- "x.md"',
        '   ---8<--- "x.md"',
        "--8<--\ndocs/index.md\n--8<--",
        '```\n--8<-- "docs/index.md"\n```',  # the snippets preprocessor reads code blocks too
    ],
    "remote image": [
        "![x](https://evil.example/t.png)",
        "![x][r]\n\n[r]: https://evil.example/t.png",
        "![x][R]\n\n[r]: HTTPS://EVIL.EXAMPLE/t.png",
        "![r]\n\n[r]: //evil.example/t.png",
        "![x](//evil.example/t.png)",
        "![x](&#104;ttps://evil.example/t.png)",
        "![x](<https://evil.example/t.png>)",
        '![x](ftp://evil.example/t.png "title")',
        r"![x](\\\\evil.example/t.png)",  # the browser reads \\host as //host
        "- item with ![x][r]\n\n[r]: http://evil.example/t.png",
        "| a |\n|---|\n| ![x](https://evil.example/t.png) |",
    ],
    "heading": [
        "# Title",
        "###### Deep",
        "#hashtag at the start of a line",  # Python-Markdown needs no space after the hashes
        "   ## Indented",
        "- # In a list",
        "> # In a quote",
        "!!! note\n    # In an admonition",
        "Text\n===",
        "Text\n---",
        "- item\n---",
        "> Quoted\n> ---",
    ],
    "attribute list": [
        "Hi {: onclick=alert(1) }",
        '[a](b){ style="background:url(https://evil.example/x)" }',
        "*word*{.class}",
        "Text {#id}",
        "Text &#123; .x &#125;",
    ],
    "unclosed fence": ["```\ncode", "~~~~\ncode\n~~~", "Text\n\n```python\nx = 1\n"],
    "raw HTML": ["a<b&x/style=color:red>", "x<y", "<!-- c -->", "<?php ?>", "</p>", "&#60;b>"],
    "size": ["word " * (MAX_MARKDOWN_CHARS // 5 + 1), "x" * (MAX_MARKDOWN_CHARS + 1), "[" * 40_000],
    "brackets": ["[" * (MAX_BRACKETS + 1), "[a](b) " * (MAX_BRACKETS + 1), "![" * 4_000],
    "nesting": [
        "- " * (MAX_NESTING + 1) + "x",
        "> " * (MAX_NESTING + 1) + "x",
        "1. " * (MAX_NESTING + 1) + "x",
        ">" * (MAX_NESTING + 1) + " x",
        "- a\n" + " " * 4 * (MAX_NESTING + 1) + "b",
        "- - - " * 300 + "x",
    ],
}

MESSAGES = {
    "snippet": "snippet marker",
    "remote image": "images from other hosts",
    "heading": "headings are not allowed",
    "attribute list": "attribute lists",
    "unclosed fence": "is never closed",
    "raw HTML": "raw HTML is not allowed",
    "size": "over the limit of 10,000",
    "brackets": "'[' characters, over the limit",
    "nesting": "levels deep",
}

ACCEPTED = [
    "Plain words with **bold**, _emphasis_ and a [link](https://example.org/page).",
    "A hashtag #security and a sharp # in a sentence.",
    "```\n# a comment in code\n--8<-- is shown as text here? no: see snippet rule\n```".replace(
        "--8<-- is shown as text here? no: see snippet rule", "echo done"
    ),
    "`<script>` in a code span and ``a ` b`` with a backtick inside",
    "```\n<script>alert(1)</script>\n```",
    "Paragraph.\n\n---\n\nAfter a rule.",
    "A local image: ![diagram](../img/diagram.png)",
    "Two links [a](https://example.org/a) and <https://example.org/b>.",
    "Braces in code: `{key: value}` and `{: .x}`.",
    "- level one\n    - level two\n        - level three",
    "> quoted\n> - with a list",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "[" * MAX_BRACKETS,
    "- " * MAX_NESTING + "x",
    "x" * MAX_MARKDOWN_CHARS,
    "Scissors -8< in the middle of a line",
]


@pytest.mark.parametrize(
    ("kind", "text"), [(kind, text) for kind, texts in REFUSED.items() for text in texts], ids=lambda v: str(v)[:40]
)
def test_each_class_of_hostile_markdown_is_refused(kind: str, text: str) -> None:
    problems = markdown_problems(text)
    assert any(MESSAGES[kind] in p for p in problems), problems


@pytest.mark.parametrize("text", ACCEPTED, ids=lambda v: v[:40])
def test_ordinary_markdown_is_accepted(text: str) -> None:
    assert markdown_problems(text) == []


CODE_THAT_LOOKS_AMBIGUOUS = [
    "``x` <script>alert(1)</script> `y",  # Python-Markdown pairs the single backticks differently
    "- `x\n- <script>alert(1)</script>\n- y`",  # a code span cannot cross list items
    "```a`\n<script>alert(1)</script>\n```",  # not a fence: a backtick in the info string
    "``` <b>x</b>\ny\n```",  # not a fence: markup on the opening line
    "```\nx\n````\n<script>alert(1)</script>\n```",
    "\\`<script>alert(1)</script>\\`",  # escaped backticks open no code span
]


@pytest.mark.parametrize("text", CODE_THAT_LOOKS_AMBIGUOUS, ids=lambda v: v[:40])
def test_what_the_checks_take_for_code_is_code_on_the_page(text: str) -> None:
    """The checks exempt code, so the page must show exactly that code literally: the site
    gets it as escaped HTML from the same scan, never as backticks to pair its own way."""
    if markdown_problems(text):
        return
    html = markdown.markdown(md_block(text), extensions=SITE_EXTENSIONS)
    assert "<script>" not in html and "<b>" not in html, html
    assert "&lt;script&gt;" in html or "&lt;b&gt;" in html or "&#60;" in html


# --- what the rules accept renders harmlessly -----------------------------------------------

# The site's Markdown extensions (mkdocs.yml), with snippets reading from an empty folder: an
# accepted text must not contain a marker for it to act on anyway.
SITE_EXTENSIONS = ["admonition", "attr_list", "sane_lists", "tables", "toc", "pymdownx.details", "pymdownx.superfences"]
SAFE_ATTRIBUTES = {"href", "title", "class", "src", "alt", "align", "start"}
TOKENS = [
    "`", "``", "```", "~~~", "\n", "\n\n", " ", "    ", "- ", "> ", "1. ", "#", "# ", "=", "-", "---", "[", "]",
    "(", ")", "![", "](", "<", ">", "b", "script", "img", "src=", "//h/x.png", "https:", "http://h/x", "{", "}", ":",
    ".c", "#i", "style=x", "on", "error=", "&#60;", "&#104;", "&#123;", "\\", "*", "_", "x", "8<", "--", '"', "'",
    "|", "!!! note\n    ", "[r]: ", "[r]", "javascript:", "&", ";",
]  # fmt: skip


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "iframe", "object", "embed", "svg"}:
            self.bad.append(f"<{tag}>")
        for name, value in attrs:
            if name not in SAFE_ATTRIBUTES and tag not in {"ol", "li", "table", "td", "th", "div", "span"}:
                self.bad.append(f"{tag}[{name}]")
            squashed = "".join((value or "").split()).lower().replace("\\", "/")
            if name == "src" and (re.match(r"[a-z][a-z0-9+.-]*:", squashed) or squashed.startswith("//")):
                self.bad.append(f"remote src {value!r}")
            if name == "href" and squashed.startswith(("javascript:", "vbscript:", "data:")):
                self.bad.append(f"script href {value!r}")
            if name.startswith("on") or name == "style":
                self.bad.append(f"{tag}[{name}]")


@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=40).map("".join))
def test_whatever_the_rules_accept_renders_without_headings_remote_fetches_or_markup(text: str) -> None:
    if markdown_problems(text) or not text.strip():
        return
    # As the trait template places it: a section's body, and an item of a list (on one line).
    for page_markdown in (md_block(text), "- " + md_block(text).replace("\n", " ")):
        html = markdown.markdown(page_markdown, extensions=SITE_EXTENSIONS)
        inspector = _Inspector()
        inspector.feed(html)
        assert inspector.bad == [], (text, html)


# --- every Markdown field, through the command line ------------------------------------------


def _is_markdown(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        return any(getattr(m, "func", None) is check_markdown for m in meta) or _is_markdown(base)
    return any(_is_markdown(arg) for arg in get_args(annotation))


def _markdown_fields(cls: type[BaseModel]) -> set[str]:
    return {
        name
        for name, field in cls.model_fields.items()
        if any(getattr(m, "func", None) is check_markdown for m in field.metadata) or _is_markdown(field.annotation)
    }


DECLARED = {
    (cls.__name__, name)
    for cls in vars(model).values()
    if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == model.__name__
    for name in _markdown_fields(cls)
    if not cls.__name__.startswith("_")
}

Path_ = tuple[str | int, ...]

# Fields the mini fixture leaves out, added so that every declared Markdown field is tested.
EXTRA = {
    "traits/one.yml": {
        "takeaways": ["Remember one thing."],
        "practices": ["Practise one thing."],
        "pitfalls": ["Doing two things."],
    },
    "catalogue.yml": {
        "paths": [
            {"id": "a-path", "title": "A path", "audience": "Anyone.", "description": "Why these steps.",
             "steps": [{"trait": "one", "target": 2, "why": "It comes first."}]},
        ],
    },
}  # fmt: skip


def _walk(instance: BaseModel, path: Path_ = ()) -> Iterator[tuple[str, str, Path_]]:
    """(model name, field name, path) of every Markdown value in ``instance``."""
    for name in type(instance).model_fields:
        value = getattr(instance, name)
        if name in _markdown_fields(type(instance)):
            if isinstance(value, str):
                yield type(instance).__name__, name, (*path, name)
            elif isinstance(value, list):
                yield from ((type(instance).__name__, name, (*path, name, i)) for i in range(len(value)))
        elif isinstance(value, BaseModel):
            yield from _walk(value, (*path, name))
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk(item, (*path, name, i))


def _full_catalogue(target: Path) -> Path:
    shutil.copytree(MINI, target)
    for rel, fields in EXTRA.items():
        data = yaml.safe_load((target / rel).read_text(encoding="utf-8"))
        data.update(fields)
        for exercise in data.get("exercises", []):
            exercise.setdefault("scenario", "A situation.")
        (target / rel).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _locations(catalogue: Path) -> list[tuple[str, Path_]]:
    from traitbook._internal.catalogue.validate import load_catalogue

    loaded = load_catalogue(catalogue)
    found = [("catalogue.yml", path) for _, _, path in _walk(loaded.catalogue.site)]
    found += [(f"traits/{t.id}.yml", path) for t in loaded.catalogue.traits for _, _, path in _walk(t)]
    return found


def _covered(catalogue: Path) -> set[tuple[str, str]]:
    from traitbook._internal.catalogue.validate import load_catalogue

    loaded = load_catalogue(catalogue)
    pairs = {(m, f) for m, f, _ in _walk(loaded.catalogue.site)}
    return pairs | {(m, f) for t in loaded.catalogue.traits for m, f, _ in _walk(t)}


def test_the_field_catalogue_below_covers_every_markdown_field_of_the_model(tmp_path: Path) -> None:
    covered = _covered(_full_catalogue(tmp_path / "catalogue"))
    # _Choice's scenario is declared once and reached as SingleChoice/MultipleSelect.scenario.
    assert {d for d in DECLARED if d[0] != "_Choice"} <= covered, sorted(DECLARED - covered)


def _set(data: Any, path: Path_, value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


HOSTILE = {kind: texts[0] for kind, texts in REFUSED.items()}
HOSTILE["nesting"] = "- " * 1000 + "x"  # the crash: RecursionError in Python-Markdown
HOSTILE["brackets"] = "[" * 9_000  # the stall: minutes of inline scanning
HOSTILE["size"] = "[" * 40_000


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_text_in_every_markdown_field_is_reported_at_the_field(tmp_path: Path, kind: str) -> None:
    catalogue = _full_catalogue(tmp_path / "catalogue")
    locations = _locations(catalogue)
    assert len(locations) >= 15
    expected = []
    for rel, path in locations:
        file = catalogue / rel
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        _set(data, path, HOSTILE[kind])
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000), encoding="utf-8")
    for rel, path in locations:
        doc = parse_document((catalogue / rel).read_bytes(), f"catalogue/{rel}")
        line, col = doc.locate_value(path)  # a wrong value is reported where it is written
        shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        expected.append(f"catalogue/{rel}:{line}:{col}: {shown}: ")
    result = run_cli("--root", str(tmp_path), "check")
    assert result.code == 2 and "Traceback" not in result.err
    lines = result.err.splitlines()
    for prefix in expected:
        assert any(line.startswith(prefix) and MESSAGES[kind] in line for line in lines), (prefix, result.err[:2000])


@pytest.mark.parametrize("kind", ["snippet", "nesting", "brackets", "heading"])
def test_a_refused_field_stops_the_build_before_any_page_or_mkdocs(project: Path, kind: str) -> None:
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    before = tree_digest(project / "docs")
    one = project / "catalogue" / "traits" / "one.yml"
    data = yaml.safe_load(one.read_text(encoding="utf-8"))
    data["exercises"][0]["options"][0]["feedback"] = HOSTILE[kind]
    one.write_text(yaml.safe_dump(data, sort_keys=False, width=1_000_000), encoding="utf-8")
    result = run_cli("--root", str(project), "generate", "--no-handbook")
    assert result.code == 2 and "Traceback" not in result.err
    assert "exercises[0].options[0].feedback" in result.err and MESSAGES[kind] in result.err
    assert tree_digest(project / "docs") == before


def test_a_page_that_fails_to_render_leaves_every_file_as_it_was(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever goes wrong while rendering (here: a page that raises), nothing is replaced."""
    from traitbook._internal.site import render

    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    before = tree_digest(project / "docs")
    one = project / "catalogue" / "traits" / "one.yml"
    one.write_text(one.read_text(encoding="utf-8").replace("Does one thing.", "Does one thing, changed."))
    real = render.render_page

    def failing(renderer: Any, plan: Any, page: Any) -> str:
        if page.path == "traits/two.md":  # sorted after the pages the change rewrites
            raise RecursionError("maximum recursion depth exceeded")
        return real(renderer, plan, page)

    monkeypatch.setattr(render, "render_page", failing)
    with pytest.raises(RecursionError):
        from traitbook import Project, build

        build(Project.at(project), jobs=1)
    assert tree_digest(project / "docs") == before
    assert not list((project / "docs").rglob(".traitbook-*"))


def test_a_failed_first_build_leaves_no_folders_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from traitbook import Project, build
    from traitbook._internal.site import render

    root = tmp_path / "proj"
    shutil.copytree(MINI, root / "catalogue")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")

    def failing(renderer: Any, plan: Any, page: Any) -> str:
        raise ValueError("cannot render")

    monkeypatch.setattr(render, "render_page", failing)
    with pytest.raises(ValueError, match="cannot render"):
        build(Project.at(root, cache=False), jobs=1)
    assert sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*")) == ["index.md"]


# --- files that lead elsewhere ------------------------------------------------------------


def test_a_trait_file_that_links_outside_the_catalogue_is_refused_without_its_content(project: Path) -> None:
    secret = project.parent / "secret.yml"
    secret.write_text((MINI / "traits" / "two.yml").read_text().replace("The second trait.", "TOP SECRET"))
    link = project / "catalogue" / "traits" / "two.yml"
    link.unlink()
    link.symlink_to(secret)
    result = run_cli("--root", str(project), "generate", "--no-handbook")
    assert result.code == 2
    assert "catalogue/traits/two.yml:1:1: (document): is a symbolic link that leads outside the catalogue" in result.err
    assert "TOP SECRET" not in result.err and str(secret) not in result.err and "secret.yml" not in result.err
    assert not (project / "docs" / "traits").exists()


def test_a_traits_folder_that_links_outside_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    shutil.move(project / "catalogue" / "traits", outside)
    (project / "catalogue" / "traits").symlink_to(outside)
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    assert result.err.count("leads outside the catalogue folder") == 3  # one.yml, two.yml, three.yml


def test_links_inside_the_catalogue_are_followed(project: Path) -> None:
    traits = project / "catalogue" / "traits"
    (project / "catalogue" / "drafts").mkdir()
    shutil.move(traits / "two.yml", project / "catalogue" / "drafts" / "two.yml")
    (traits / "two.yml").symlink_to(Path("..") / "drafts" / "two.yml")
    assert run_cli("--root", str(project), "check").code == 0


def test_a_catalogue_file_that_links_outside_is_refused(project: Path, tmp_path: Path) -> None:
    site = project / "catalogue" / "catalogue.yml"
    moved = tmp_path / "site.yml"
    shutil.move(site, moved)
    site.symlink_to(moved)
    result = run_cli("--root", str(project), "check")
    assert result.code == 2 and "catalogue/catalogue.yml:1:1: (document): is a symbolic link" in result.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_instead_of_read(project: Path) -> None:
    os.mkfifo(project / "catalogue" / "traits" / "four.yml")
    result = run_cli("--root", str(project), "check")  # reading it would block for ever
    assert result.code == 2 and "catalogue/traits/four.yml:1:1: (document): is not a regular file" in result.err


def test_the_repository_catalogue_passes_the_rules() -> None:
    assert run_cli("--root", str(ROOT), "check").code == 0


@pytest.mark.parametrize("size", [2_001, 1_500_000])
def test_plain_text_has_a_length_limit_too(project: Path, size: int) -> None:
    two = project / "catalogue" / "traits" / "two.yml"
    two.write_text(two.read_text(encoding="utf-8").replace("title: Trait Two", "title: " + "T" * size))
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    # Column 8: the value after "title: ", where the over-long text starts.
    assert f"catalogue/traits/two.yml:2:8: title: is {size:,} characters long, over the limit of 2,000" in result.err
