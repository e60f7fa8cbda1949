"""Material template optimisation, the plugin's ``optimise_theme`` option (off by default): make
the theme's pages smaller and cheaper to produce, showing the same.

Two things, both measured in ``bench/`` (see bench/README.md):

* **Whitespace.** Material's templates are indented for reading, so every ``{% if %}`` or
  ``{% for %}`` leaves a line of spaces in the output; in the sidebar of a large catalogue that
  is a third of each page. ``trim_blocks`` and ``lstrip_blocks`` remove only the whitespace
  around the block tags of the templates (the theme's and the project's overrides): page
  content (``page.content``) is a variable and is not touched. ``tests/test_theme_hook.py``
  checks that every page keeps the same words, elements and attributes.
* **Sidebar.** Material renders the whole sidebar into every page. With a thousand traits
  that is most of the time MkDocs spends beyond converting Markdown, yet nearly all of it is the
  same from page to page: a collapsed section or a link to another page does not depend on the
  page being built, except through its relative URLs. :class:`SidebarMemo` renders each such
  item once per URL folder and reuses the HTML. :class:`PageMemo` renders a page's table of
  contents once, where Material renders it twice.

Both are wired in by small changes to Material's templates as they load (:class:`ThemeLoader`),
so no copy of a Material template is kept here to drift out of date. If a Material release no
longer has what a change expects, that template is used as it is and the build is only slower;
a test fails so that the change is noticed. Other tests build sites with and without these
two changes and compare every file byte for byte.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import BaseLoader, Environment, Undefined
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.templates import url_filter

log = logging.getLogger("mkdocs.plugins.traitbook")

NAV_ITEM = "partials/nav-item.html"

#: The line of Material's nav-item.html that renders each child of an open section, and what it
#: becomes: still one expression, so the whitespace around it is the same. The global is looked
#: up with ``is defined`` so that the template also works in an environment without this hook.
CHILD_CALL = '{{ render(item, path ~ "_" ~ loop.index, level + 1, nav_item) }}'
MEMO_GLOBAL = "traitbook_sidebar"
MEMO_CALL = (
    f'{{{{ {MEMO_GLOBAL}(render, item, path ~ "_" ~ loop.index, level + 1, nav_item, page=page) '
    f'if {MEMO_GLOBAL} is defined else render(item, path ~ "_" ~ loop.index, level + 1, nav_item) }}}}'
)

TOC = "partials/toc.html"
TOC_GLOBAL = "traitbook_toc"
TOC_MACRO = "traitbook_toc_body"

Folder = tuple[str, ...]


def url_parts(path: str) -> Folder:
    """``path`` split into parts, as ``mkdocs.utils._norm_parts`` does for relative URLs."""
    if not path.startswith("/"):
        path = "/" + path
    normal = posixpath.normpath(path)[1:]
    return tuple(normal.split("/")) if normal else ()


def url_folder(url: str) -> Folder:
    """The folder a page's relative URLs start from: a last part with a dot is a file name."""
    head, _, last = url.rpartition("/")
    return url_parts(head if "." in last else url)


def target_parts(url: str) -> Folder | None:
    """The parts of a nav URL that MkDocs' ``url`` filter relates to the page's folder, or None
    for a URL the filter leaves as it is (absolute, with a scheme or a host, or an anchor);
    mirrors ``mkdocs.utils._get_norm_url``."""
    path = url.replace("\\", "/") or "."
    split = urlsplit(path)
    if split.scheme or split.netloc or path.startswith(("/", "#")):
        return None
    return url_parts(path)


@dataclass(frozen=True)
class Subtree:
    """What the reuse rule needs to know of an item and everything under it."""

    prefixes: frozenset[Folder]  # every leading part of every relative URL in it
    pages: frozenset[object]  # its nodes (by id) and the source files of its pages


def _nodes(item: Any) -> Iterator[Any]:
    yield item
    for child in getattr(item, "children", None) or ():
        yield from _nodes(child)


def subtree(item: Any) -> Subtree:
    prefixes: set[Folder] = set()
    pages: set[object] = set()
    for node in _nodes(item):
        pages.add(id(node))
        source = getattr(getattr(node, "file", None), "src_uri", None)
        if source is not None:
            pages.add(("file", source))
        url = getattr(node, "url", None)
        parts = target_parts(url) if isinstance(url, str) else None
        if parts is not None:
            prefixes.update(parts[:k] for k in range(len(parts) + 1))
    return Subtree(frozenset(prefixes), frozenset(pages))


def page_keys(page: Any) -> frozenset[object]:
    """What identifies ``page`` among a subtree's ``pages``: the object, and its source file."""
    return frozenset({id(page), ("file", getattr(getattr(page, "file", None), "src_uri", None))})


def holds(tree: Subtree, keys: frozenset[object]) -> bool:
    """Whether the page of ``keys`` is in the subtree: an active item holds it, but so does a
    section that lists a page the nav lists twice and that MkDocs did not make its parent (and
    so did not make active)."""
    return not tree.pages.isdisjoint(keys)


def where(tree: Subtree, folder: Folder) -> tuple[object, ...]:
    """The part of the reuse key that stands for the page: its folder when a target of the
    subtree lies inside it, else only the folder's parent and depth (see SidebarMemo)."""
    return (folder,) if folder in tree.prefixes else (folder[:-1], len(folder))


class SidebarMemo:
    """Render each closed item of the sidebar once per URL folder and reuse the HTML.

    Why reuse is exact: an item that does not hold the current page (see ``holds``) is
    rendered by Material the same for every page, except for its relative URLs. MkDocs
    computes those (``get_relative_url``) from the folder of the current page, ``F``, alone: it
    keeps what a target has in common with ``F`` and climbs out of the rest. So pages in one
    folder share the HTML. Better still, when no target of the item lies inside ``F``, the
    common part can only be within ``F``'s parent, and the URLs depend on that parent and on
    ``F``'s depth: pages in sibling folders (``traits/a/`` and ``traits/b/``) share it too.

    This assumes what MkDocs and Material do: the ``url`` filter depends on the page through
    ``page.url`` only (``optimise`` does not install the memo when another filter replaced
    MkDocs'), and the nav does not change while pages are built. One memo serves one build:
    MkDocs calls ``optimise`` (through the plugin's ``on_env``) again for every rebuild while serving.
    """

    def __init__(self) -> None:
        self._html: dict[tuple[object, ...], str] = {}
        self._trees: dict[int, tuple[object, Subtree]] = {}  # the item is kept: ids stay unique
        self._page: tuple[object, frozenset[object], Folder] | None = None  # the page, kept too
        self.hits = 0

    def __call__(self, render: Callable[..., str], item: Any, path: str, level: int, parent: Any, *, page: Any) -> str:
        url = None if isinstance(page, Undefined) else getattr(page, "url", None)
        # Material swaps in the current page for an item whose `pages` hold it (a blog index
        # and its paginated views): left to Material.
        if not isinstance(url, str) or getattr(item, "active", False) or getattr(item, "pages", None):
            return render(item, path, level, parent)
        if self._page is None or self._page[0] is not page:
            self._page = (page, page_keys(page), url_folder(url))
        _, keys, folder = self._page
        tree = self._subtree(item)
        if holds(tree, keys):
            return render(item, path, level, parent)
        key = (id(item), path, level, bool(getattr(parent, "active", False)), *where(tree, folder))
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = render(item, path, level, parent)
        else:
            self.hits += 1
        return html

    def _subtree(self, item: Any) -> Subtree:
        found = self._trees.get(id(item))
        if found is None:
            found = self._trees[id(item)] = (item, subtree(item))
        return found[1]


class PageMemo:
    """Render a page's table of contents once: Material renders it twice per page, into the
    sidebar (shown on narrow screens) and beside the content, from the same ``page.toc``."""

    def __init__(self) -> None:
        self._page: object = None
        self._html = ""

    def __call__(self, render: Callable[[], str], page: Any) -> str:
        if page is None or isinstance(page, Undefined):
            return render()
        if page is not self._page:
            self._page, self._html = page, render()
        return self._html


def patch_nav_item(source: str, environment: Environment) -> str | None:
    """Route the rendering of each child through the sidebar memo, if the line is there."""
    return source.replace(CHILD_CALL, MEMO_CALL) if source.count(CHILD_CALL) == 1 else None


def patch_toc(source: str, environment: Environment) -> str | None:
    """Wrap the whole template in a macro and render it through the page memo."""
    if "{% macro" in source or "{% extends" in source:
        return None
    if not environment.keep_trailing_newline:
        # Jinja drops a template's last line break; inside a macro it would stay.
        source = re.sub(r"(\r\n|\r|\n)\Z", "", source)
    return (
        f"{{% macro {TOC_MACRO}() %}}{source}{{% endmacro %}}"
        f"{{{{ {TOC_GLOBAL}({TOC_MACRO}, page) if {TOC_GLOBAL} is defined else {TOC_MACRO}() }}}}"
    )


PATCHES: dict[str, Callable[[str, Environment], str | None]] = {NAV_ITEM: patch_nav_item, TOC: patch_toc}


#: Templates a change relies on, which must come from the theme too: the table of contents is
#: rendered once for two places, so its items must not read anything from either place.
REQUIRES: dict[str, tuple[str, ...]] = {TOC: ("partials/toc-item.html",)}


class ThemeLoader(BaseLoader):
    """The theme's loader, with the changes above made to the theme's templates as they load.

    Only templates from ``theme_dirs`` are changed: a project's own override of one of these
    templates, or of one that a change relies on (in ``custom_dir``), leaves it as it is.
    """

    def __init__(self, inner: BaseLoader, theme_dirs: Sequence[Path]) -> None:
        self.inner = inner
        self.theme_dirs = [path.resolve() for path in theme_dirs]

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        patch = PATCHES.get(template)
        if patch is None or not self._from_theme(filename):
            return source, filename, uptodate
        if not all(
            self._from_theme(self.inner.get_source(environment, name)[1]) for name in REQUIRES.get(template, ())
        ):
            return source, filename, uptodate
        patched = patch(source, environment)
        if patched is None:
            log.info("traitbook: the theme's %s has changed; it is rendered without reuse", template)
            return source, filename, uptodate
        return patched, filename, uptodate

    def _from_theme(self, filename: str | None) -> bool:
        if filename is None:
            return False
        path = Path(filename).resolve()
        return any(path.is_relative_to(folder) for folder in self.theme_dirs)

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def theme_dirs(config: MkDocsConfig) -> list[Path]:
    """The theme's template folders, without the project's ``custom_dir``."""
    own = config.theme.custom_dir
    dirs = [Path(folder).resolve() for folder in config.theme.dirs]
    return dirs if own is None else [folder for folder in dirs if folder != Path(own).resolve()]


def optimise(env: Environment, config: MkDocsConfig) -> Environment:
    env.trim_blocks = True
    env.lstrip_blocks = True
    if env.loader is not None and not isinstance(env.loader, ThemeLoader):
        env.loader = ThemeLoader(env.loader, theme_dirs(config))
    # Reuse relies on MkDocs' own url filter (see SidebarMemo); without the global, the
    # changed template renders every item in full.
    if env.filters.get("url") is url_filter:
        env.globals[MEMO_GLOBAL] = SidebarMemo()
    env.globals[TOC_GLOBAL] = PageMemo()
    return env
