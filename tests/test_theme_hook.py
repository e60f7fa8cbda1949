"""The theme hook changes how fast pages are made, never what they hold.

Its whitespace trimming keeps every word, element and attribute; its reuse of sidebar items and
tables of contents gives byte-identical pages; the reasoning behind that reuse is checked
against MkDocs' own ``get_relative_url``.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader
from mkdocs.utils import get_relative_url

from generator.mkdocs_theme import (
    MEMO_CALL,
    NAV_ITEM,
    PATCHES,
    TOC,
    PageMemo,
    SidebarMemo,
    ThemeLoader,
    url_folder,
    url_parts,
)
from tests.conftest import ROOT
from tests.sitebuild import copy_project, mkdocs_build

HOOK_LINE = "  - generator/mkdocs_theme.py\n"
_material = importlib.util.find_spec("material")
assert _material is not None and _material.origin is not None
MATERIAL = Path(_material.origin).parent / "templates"


class _Reader(HTMLParser):
    """Words of the visible text (text nodes joined with nothing, so glued words show) and tags."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")
        self.tags.append((tag, tuple((k, " ".join((v or "").split())) for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def read(path: Path) -> tuple[list[str], list[tuple[str, tuple[tuple[str, str], ...]]]]:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return "".join(reader.text).split(), reader.tags


@pytest.fixture(scope="module")
def untrimmed(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same project built without the hook (the PDFs are reused from the real build)."""
    root = copy_project(
        tmp_path_factory.mktemp("untrimmed") / "proj", ROOT / "catalogue", real_site / "docs" / "downloads"
    )
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert HOOK_LINE in text
    config.write_text(text.replace(HOOK_LINE, ""), encoding="utf-8")
    return mkdocs_build(root)


def test_trimming_keeps_every_word_element_and_attribute(real_site: Path, untrimmed: Path) -> None:
    pages = sorted(untrimmed.rglob("*.html"))
    assert len(pages) > 15
    before = after = 0
    for page in pages:
        trimmed = real_site / "site" / page.relative_to(untrimmed)
        assert read(trimmed) == read(page), page.relative_to(untrimmed)
        before += page.stat().st_size
        after += trimmed.stat().st_size
    assert after < before * 0.95  # and it is worth having


# Reuse of sidebar items and tables of contents: byte-identical to Material's own templates.

#: A test hook, listed after the theme hook: it gives Material its own templates back, so the
#: build renders every sidebar item and table of contents in full (trimming stays on).
UNPATCHED_HOOK = """
def on_env(env, config, files):
    env.loader = env.loader.inner
    return env
"""


def _without_reuse(root: Path) -> Path:
    (root / "unpatched.py").write_text(UNPATCHED_HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert HOOK_LINE in text
    config.write_text(text.replace(HOOK_LINE, HOOK_LINE + "  - unpatched.py\n"), encoding="utf-8")
    return root


def _assert_same_files(left: Path, right: Path) -> int:
    names = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    differ = [str(name) for name in names if (left / name).read_bytes() != (right / name).read_bytes()]
    assert not differ, differ[:5]
    return len(names)


def test_reuse_gives_the_same_bytes_as_materials_templates(real_site: Path, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj", ROOT / "catalogue", real_site / "docs" / "downloads")
    plain = mkdocs_build(_without_reuse(root))
    assert _assert_same_files(real_site / "site", plain) > 15


@pytest.fixture(scope="module")
def grouped_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 traits in 5 categories of 8, split into sidebar groups of at most 5: three levels of
    sections, pruned and open, as in a large catalogue."""
    from bench.synth import write_catalogue

    catalogue = write_catalogue(tmp_path_factory.mktemp("grouped") / "catalogue", 40)
    path = catalogue / "catalogue.yml"
    path.write_text(path.read_text(encoding="utf-8") + "nav_group_size: 5\n", encoding="utf-8")
    return catalogue


@pytest.mark.parametrize("offline", [False, True], ids=["directory-urls", "offline-file-urls"])
def test_reuse_gives_the_same_bytes_in_a_grouped_sidebar(
    grouped_catalogue: Path, tmp_path: Path, offline: bool
) -> None:
    env = {"TRAITBOOK_OFFLINE": "true"} if offline else {}
    sites = []
    for name, reuse in (("reuse", True), ("plain", False)):
        root = copy_project(tmp_path / name, grouped_catalogue)
        (root / "docs" / "downloads").mkdir()
        for pdf in ("handbook.pdf", "worksheet.pdf"):  # placeholders: this test is about HTML
            (root / "docs" / "downloads" / pdf).write_bytes(b"%PDF-1.7\n")
        sites.append(mkdocs_build(root if reuse else _without_reuse(root), extra_env=env))
    page = next(sites[0].glob("traits/*/index.html" if not offline else "traits/*.html"))
    html = page.read_text(encoding="utf-8")
    assert 'data-md-level="3"' in html and "md-nav__item--pruned" in html  # groups, open and pruned
    assert _assert_same_files(*sites) > 40


@dataclass(eq=False)
class _Item:
    url: str | None = None
    children: list[_Item] | None = None
    active: bool = False


def _counting() -> tuple[list[str], Callable[..., str]]:
    calls: list[str] = []

    def render(item: _Item, path: str, level: int, parent: _Item) -> str:
        calls.append(path)
        return f"<a href='{item.url}'>"

    return calls, render


def test_a_closed_item_is_rendered_once_for_pages_in_sibling_folders() -> None:
    calls, render = _counting()
    memo = SidebarMemo()
    item, parent = _Item("traits/b/"), _Item()
    for page in ("traits/a/", "traits/c/", "traits/d/index.html"):
        assert memo(render, item, "__nav_1", 2, parent, page=_Item(page)) == "<a href='traits/b/'>"
    assert (len(calls), memo.hits) == (1, 2)
    memo(render, item, "__nav_1", 2, parent, page=_Item("categories/x/"))  # another parent folder
    memo(render, item, "__nav_2", 2, parent, page=_Item("traits/a/"))  # another place in the sidebar
    memo(render, item, "__nav_1", 2, _Item(active=True), page=_Item("traits/a/"))  # an open parent
    assert len(calls) == 4


def test_an_item_with_a_target_in_the_pages_folder_is_shared_within_that_folder_only() -> None:
    calls, render = _counting()
    memo = SidebarMemo()
    closed, parent = _Item(children=[_Item("traits/b.html")]), _Item()
    for page in ("traits/a.html", "traits/c.html", "traits/", "traits/index.html"):
        memo(render, closed, "p", 2, parent, page=_Item(page))
    assert (len(calls), memo.hits) == (1, 3)
    memo(render, closed, "p", 2, parent, page=_Item("guides/a.html"))  # no target inside guides/
    memo(render, closed, "p", 2, parent, page=_Item("guides/b.html"))
    memo(render, closed, "p", 2, parent, page=_Item("index.html"))  # the root holds every target
    memo(render, closed, "p", 2, parent, page=_Item(""))
    assert (len(calls), memo.hits) == (3, 5)


def test_items_that_depend_on_the_page_are_rendered_every_time() -> None:
    calls, render = _counting()
    memo = SidebarMemo()
    for _ in range(2):
        memo(render, _Item("traits/b/", active=True), "p", 2, _Item(), page=_Item("traits/a/"))  # the open path
        memo(render, _Item("traits/b/"), "p", 2, _Item(), page=None)  # no page (e.g. the 404 template)
    assert (len(calls), memo.hits) == (4, 0)


def test_a_table_of_contents_is_rendered_once_per_page() -> None:
    calls: list[int] = []

    def render() -> str:
        calls.append(1)
        return "<nav>"

    memo, first, second = PageMemo(), object(), object()
    assert {memo(render, page) for page in (first, first, second, second, None)} == {"<nav>"}
    assert len(calls) == 3


_names = st.sampled_from(["a", "b", "c", "traits", "x.y"])
_paths = st.lists(_names, max_size=3)
_endings = st.sampled_from(["", "/", "/index.html"])


@given(_paths, _names, _names, _endings, _endings, st.lists(_names, max_size=5), st.booleans())
def test_pages_with_the_same_key_get_the_same_relative_urls(
    common: list[str], last: str, other: str, end: str, other_end: str, target: list[str], slash: bool
) -> None:
    """The reasoning of SidebarMemo, checked against MkDocs' own function: two pages whose
    folders differ only in the last part, with no target inside either, see the same URL."""
    one, two = "/".join([*common, last]) + end, "/".join([*common, other]) + other_end
    url = "/".join(target) + ("/" if slash and target else "")
    folders = url_folder(one), url_folder(two)
    parts = url_parts(url)
    prefixes = {parts[:k] for k in range(len(parts) + 1)}
    assume(folders[0] and folders[1] and not prefixes & set(folders))
    assume(folders[0][:-1] == folders[1][:-1] and len(folders[0]) == len(folders[1]))
    assert get_relative_url(url, one) == get_relative_url(url, two)


@given(_paths, _endings, _endings, st.lists(_names, max_size=5), st.booleans())
def test_pages_in_one_folder_get_the_same_relative_urls(
    folder: list[str], end: str, other_end: str, target: list[str], slash: bool
) -> None:
    one, two = "/".join(folder) + end, "/".join(folder) + other_end
    assume(url_folder(one) == url_folder(two))
    url = "/".join(target) + ("/" if slash and target else "")
    assert get_relative_url(url, one) == get_relative_url(url, two)


def test_the_changes_apply_to_the_installed_material() -> None:
    templates, env = MATERIAL, Environment(autoescape=True)
    for name, patch in PATCHES.items():
        assert patch((templates / name).read_text(encoding="utf-8"), env) is not None, name


def test_only_the_themes_own_templates_are_changed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    theme, own = tmp_path / "theme", tmp_path / "overrides"
    for folder in (theme, own):
        (folder / "partials").mkdir(parents=True)
    (theme / NAV_ITEM).write_text((MATERIAL / NAV_ITEM).read_text(encoding="utf-8"), encoding="utf-8")
    (theme / TOC).write_text("<nav></nav>\n", encoding="utf-8")
    (own / TOC).write_text("{{ page }}\n", encoding="utf-8")
    env = Environment(autoescape=True)
    loader = ThemeLoader(FileSystemLoader([str(own), str(theme)]), [theme])
    assert MEMO_CALL in loader.get_source(env, NAV_ITEM)[0]
    assert loader.get_source(env, TOC)[0] == "{{ page }}\n"  # the project's own override
    (theme / NAV_ITEM).write_text("{{ changed }}", encoding="utf-8")  # a theme release changed it
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.traitbook"):
        assert loader.get_source(env, NAV_ITEM)[0] == "{{ changed }}"
    assert "rendered without reuse" in caplog.text
