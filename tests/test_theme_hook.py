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
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import yaml
from hypothesis import assume, example, given
from hypothesis import strategies as st
from jinja2 import Environment, FileSystemLoader, Undefined
from mkdocs.utils import normalize_url

from tests.conftest import ROOT
from tests.htmlscan import page_text
from tests.sitebuild import OPTIMISE_HOOK, copy_project, mkdocs_build, optimise_theme, project_with_placeholder_pdfs
from traitbook._internal.adapters.mkdocs_theme import (
    MEMO_CALL,
    NAV_ITEM,
    PATCHES,
    TOC,
    PageMemo,
    SidebarMemo,
    ThemeLoader,
    subtree,
    theme_dirs,
    url_folder,
    where,
)

_material = importlib.util.find_spec("material")
assert _material is not None and _material.origin is not None
MATERIAL = Path(_material.origin).parent / "templates"


def read(path: Path) -> tuple[list[str], list[tuple[str, tuple[tuple[str, str], ...]]]]:
    """Words of the visible text (text nodes joined with nothing, so glued words show) and tags."""
    text = page_text(path.read_text(encoding="utf-8"))
    tags = [(tag, tuple((k, " ".join(v.split())) for k, v in attrs)) for tag, attrs in text.tags]
    return "".join(text.texts).split(), tags


@pytest.fixture(scope="module")
def optimised(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same project built with ``optimise_theme`` (the PDFs are reused from the real build)."""
    root = copy_project(
        tmp_path_factory.mktemp("optimised") / "proj", ROOT / "catalogue", real_site / "docs" / "downloads"
    )
    return mkdocs_build(optimise_theme(root))


def test_the_optimisation_is_off_by_default(real_site: Path, optimised: Path) -> None:
    page = "traits/leader/index.html"
    assert (real_site / "site" / page).stat().st_size > (optimised / page).stat().st_size


def test_trimming_keeps_every_word_element_and_attribute(real_site: Path, optimised: Path) -> None:
    untrimmed = real_site / "site"
    pages = sorted(untrimmed.rglob("*.html"))
    assert len(pages) > 15
    before = after = 0
    for page in pages:
        trimmed = optimised / page.relative_to(untrimmed)
        assert read(trimmed) == read(page), page.relative_to(untrimmed)
        before += page.stat().st_size
        after += trimmed.stat().st_size
    assert after < before * 0.95  # and it is worth having


# Reuse of sidebar items and tables of contents: byte-identical to Material's own templates.

#: A test hook, which runs after the plugin: it gives Material its own templates back, so the
#: build renders every sidebar item and table of contents in full (trimming stays on).
UNPATCHED_HOOK = """
def on_env(env, config, files):
    env.loader = env.loader.inner
    return env
"""


def _without_reuse(root: Path) -> Path:
    (root / "unpatched.py").write_text(UNPATCHED_HOOK, encoding="utf-8")
    config = optimise_theme(root) / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - unpatched.py\n", encoding="utf-8")
    return root


def _assert_same_files(left: Path, right: Path) -> int:
    names = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    differ = [str(name) for name in names if (left / name).read_bytes() != (right / name).read_bytes()]
    assert not differ, differ[:5]
    return len(names)


def test_reuse_gives_the_same_bytes_as_materials_templates(real_site: Path, optimised: Path, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj", ROOT / "catalogue", real_site / "docs" / "downloads")
    plain = mkdocs_build(_without_reuse(root))
    assert _assert_same_files(optimised, plain) > 15


@pytest.fixture(scope="module")
def grouped_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 traits in 5 categories of 8, split into sidebar groups of at most 5: three levels of
    sections, pruned and open, as in a large catalogue."""
    from tests.synth import write_catalogue

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
        root = project_with_placeholder_pdfs(tmp_path / name, grouped_catalogue)  # this test is about HTML
        sites.append(mkdocs_build(optimise_theme(root) if reuse else _without_reuse(root), extra_env=env))
    page = next(sites[0].glob("traits/*/index.html" if not offline else "traits/*.html"))
    html = page.read_text(encoding="utf-8")
    assert 'data-md-level="3"' in html and "md-nav__item--pruned" in html  # groups, open and pruned
    assert _assert_same_files(*sites) > 40


@dataclass(eq=False)
class _File:
    src_uri: str


@dataclass(eq=False)
class _Item:
    url: str | None = None
    children: list[_Item] | None = None
    active: bool = False
    file: _File | None = None


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
    twice = _Item("guide/a.html", file=_File("guide/a.md"))  # listed in two sections of the nav
    other_section = _Item(children=[twice, _Item("guide/b.html")])  # not its parent: not active
    blog = _Item("blog/", children=[])
    blog.pages = [blog]  # type: ignore[attr-defined]  # as Material's blog views have
    for _ in range(2):
        memo(render, _Item("traits/b/", active=True), "p", 2, _Item(), page=_Item("traits/a/"))  # the open path
        memo(render, _Item("traits/b/"), "p", 2, _Item(), page=None)  # no page (e.g. the 404 template)
        memo(render, _Item("traits/b/"), "p", 2, _Item(), page=Undefined())
        memo(render, other_section, "p", 2, _Item(), page=twice)
        memo(render, other_section, "p", 2, _Item(), page=_Item("guide/a.html", file=_File("guide/a.md")))
        memo(render, blog, "p", 2, _Item(), page=_Item("blog/page/2/"))
    assert (len(calls), memo.hits) == (12, 0)
    memo(render, other_section, "p", 2, _Item(), page=_Item("guide/c.html"))  # not in it: reused
    memo(render, other_section, "p", 2, _Item(), page=_Item("guide/d.html"))
    assert (len(calls), memo.hits) == (13, 1)


def test_a_table_of_contents_is_rendered_once_per_page() -> None:
    calls: list[str] = []
    memo, first, second = PageMemo(), _Item("a/"), _Item("b/")

    def render_for(page: _Item | None) -> Callable[[], str]:
        def render() -> str:
            calls.append(str(page and page.url))
            return f"<nav>{page and page.url}</nav>"

        return render

    pages = (first, first, second, second, first, None, None)
    got = [memo(render_for(page), page) for page in pages]
    assert got == [f"<nav>{page and page.url}</nav>" for page in pages]
    assert calls == ["a/", "b/", "a/", "None", "None"]


# The reasoning of SidebarMemo, checked against MkDocs' own url filter (normalize_url): two pages
# whose reuse keys are equal see the same URL for every target of the item.
_parts = st.sampled_from(["a", "b", "c", "x.y", "..", ".", ""])
_page_parts = st.sampled_from(["a", "b", "c", "x.y"])
_endings = st.sampled_from(["", "/", "/index.html", ".html"])
_targets = st.tuples(
    st.sampled_from(["", "/", "#", "http://host/", "\\"]),
    st.lists(_parts, max_size=4),
    st.sampled_from(["/", "\\"]),
    st.sampled_from(["", "/", "/index.html", "#anchor"]),
).map(lambda t: t[0] + t[2].join(t[1]) + t[3])


@given(
    st.lists(_page_parts, max_size=3),
    _page_parts,
    _page_parts,
    _endings,
    _endings,
    st.lists(_targets, min_size=1, max_size=4),
)
@example([], "a", "b", "/", "/", ["a/"])  # a target inside one page's folder
@example(["t"], "a", "b", ".html", ".html", ["t/c.html"])  # file URLs: both pages in t/
def test_pages_with_the_same_key_get_the_same_urls(
    common: list[str], last: str, other: str, end: str, other_end: str, targets: list[str]
) -> None:
    one, two = ("/".join([*common, name]) + ending for name, ending in ((last, end), (other, other_end)))
    tree = subtree(_Item(children=[_Item(url) for url in targets]))
    assume(where(tree, url_folder(one)) == where(tree, url_folder(two)))
    for url in targets:
        assert normalize_url(url, page=cast(Any, _Item(one))) == normalize_url(url, page=cast(Any, _Item(two)))


def test_the_changes_apply_to_the_installed_material() -> None:
    templates, env = MATERIAL, Environment(autoescape=True)
    for name, patch in PATCHES.items():
        assert patch((templates / name).read_text(encoding="utf-8"), env) is not None, name


def test_only_the_themes_own_templates_are_changed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    theme, own = tmp_path / "theme", tmp_path / "overrides"
    for folder in (theme, own):
        (folder / "partials").mkdir(parents=True)
    for name in (NAV_ITEM, TOC, "partials/toc-item.html"):
        (theme / name).write_text((MATERIAL / name).read_text(encoding="utf-8"), encoding="utf-8")
    env = Environment(autoescape=True)
    loader = ThemeLoader(FileSystemLoader([str(own), str(theme)]), [theme])
    assert MEMO_CALL in loader.get_source(env, NAV_ITEM)[0]
    assert "traitbook_toc" in loader.get_source(env, TOC)[0]
    (own / "partials/toc-item.html").write_text("{{ nav_item }}\n", encoding="utf-8")  # what toc.html includes
    assert loader.get_source(env, TOC)[0] == (theme / TOC).read_text(encoding="utf-8")
    (own / TOC).write_text("{{ page }}\n", encoding="utf-8")  # the project's own override
    assert loader.get_source(env, TOC)[0] == "{{ page }}\n"
    (theme / NAV_ITEM).write_text("{{ changed }}", encoding="utf-8")  # a theme release changed it
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.traitbook"):
        assert loader.get_source(env, NAV_ITEM)[0] == "{{ changed }}"
    assert "rendered without reuse" in caplog.text


@pytest.mark.parametrize("custom", [None, "overrides"])
def test_the_theme_folders_leave_out_the_projects_own(tmp_path: Path, custom: str | None) -> None:
    dirs = [str(tmp_path / "overrides"), str(tmp_path / "material"), str(tmp_path / "mkdocs")]
    own = str(tmp_path / custom) if custom else None
    config = SimpleNamespace(theme=SimpleNamespace(custom_dir=own, dirs=dirs if custom else dirs[1:]))
    assert theme_dirs(cast(Any, config)) == [tmp_path / "material", tmp_path / "mkdocs"]


# Material's own templates with other features than this project's: sections pruned or not,
# tabs, expanded sections, index pages, a page listed twice, an outside link; file and
# directory URLs. Top-level items are not reused, so the sections to compare sit one level
# down. Plain Markdown pages, no generator: the hook is the only thing under test.
PLAIN_NAV = """
nav:
  - Home: index.md
  - Docs:
      - Guide:
          - guide/index.md
          - guide/a.md
          - guide/b.md
          - Deep:
              - guide/deep/c.md
              - guide/deep/d.md
      - Extra:
          - guide/e.md
          - Outside: https://example.com/
      - Again:
          - guide/a.md
          - other/x.md
  - other/y.md
"""


@pytest.mark.parametrize(
    ("features", "directory_urls"),
    [
        ([], False),
        ([], True),
        (["navigation.tabs", "navigation.sections", "navigation.prune"], False),
        (["navigation.expand", "navigation.indexes"], False),
        (["navigation.sections", "navigation.indexes", "navigation.prune"], True),
    ],
)
def test_reuse_gives_the_same_bytes_with_other_features(
    tmp_path: Path, features: list[str], directory_urls: bool
) -> None:
    sites = []
    for name, reuse in (("reuse", True), ("plain", False)):
        root = tmp_path / name
        for page in ("index", "guide/index", "guide/a", "guide/b", "guide/deep/c", "guide/deep/d", "guide/e",
                     "other/x", "other/y"):  # fmt: skip
            path = root / "docs" / f"{page}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"# {page}\n\n## One\n\nText.\n\n### Two\n\n## Three\n", encoding="utf-8")
        (root / "optimise.py").write_text(OPTIMISE_HOOK, encoding="utf-8")
        hooks = ["optimise.py"]
        if not reuse:
            (root / "unpatched.py").write_text(UNPATCHED_HOOK, encoding="utf-8")
            hooks.append("unpatched.py")
        config = {
            "site_name": "Reuse",
            "use_directory_urls": directory_urls,
            "theme": {"name": "material", "features": features},
            "hooks": hooks,
        }
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config) + PLAIN_NAV, encoding="utf-8")
        sites.append(mkdocs_build(root))
    assert _assert_same_files(*sites) > 9
