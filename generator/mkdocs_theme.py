"""MkDocs hook: make the theme's output cheaper to produce without changing a byte of it.

Two things, both measured in ``bench/`` (see bench/README.md):

* **Whitespace.** Material's templates are indented for reading, so every ``{% if %}`` or
  ``{% for %}`` leaves a line of spaces in the output; in the sidebar of a large catalogue that
  is a third of each page. ``trim_blocks`` and ``lstrip_blocks`` remove only the whitespace
  around the block tags of the theme's templates: page content (``page.content``) is a variable
  and is not touched. ``tests/test_theme_hook.py`` checks that every page keeps the same words,
  elements and attributes.
* **Sidebar.** Material renders the whole sidebar into every page. With a thousand traits
  that is most of the time MkDocs spends beyond converting Markdown, yet nearly all of it is the
  same from page to page: a collapsed section or a link to another page does not depend on the
  page being built, except through its relative URLs. :class:`SidebarMemo` renders each such
  item once per URL folder and reuses the HTML. :class:`PageMemo` renders a page's table of
  contents once, where Material renders it twice.

Both are wired in by small changes to Material's templates as they load (:class:`ThemeLoader`),
so no copy of a Material template is kept here to drift out of date. If a Material release no
longer has what a change expects, that template is used as it is and the build is only slower;
a test fails so that the change is noticed. Other tests build sites with and without the
changes and compare every file byte for byte.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment

log = logging.getLogger("mkdocs.hooks.traitbook")

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
    """``path`` split into components, normalised as ``mkdocs.utils.get_relative_url`` does."""
    normal = posixpath.normpath("/" + path)[1:]
    return tuple(normal.split("/")) if normal else ()


def url_folder(url: str) -> Folder:
    """The folder a page's relative URLs start from: a last component with a dot is a file."""
    head, _, last = url.rpartition("/")
    return url_parts(head if "." in last else url)


def _urls(item: Any) -> Iterator[str]:
    url = getattr(item, "url", None)
    if isinstance(url, str):
        yield url
    for child in getattr(item, "children", None) or ():
        yield from _urls(child)


def _prefixes(item: Any) -> frozenset[Folder]:
    """Every leading part of every URL in ``item``'s subtree."""
    out: set[Folder] = set()
    for url in _urls(item):
        parts = url_parts(url)
        out.update(parts[:k] for k in range(len(parts) + 1))
    return frozenset(out)


class SidebarMemo:
    """Render each closed item of the sidebar once per URL folder and reuse the HTML.

    Why reuse is exact: an item that is not active holds neither the current page nor any of
    its parents, so Material renders it the same for every page, except for its relative URLs.
    MkDocs computes those (``get_relative_url``) from the folder of the current page, ``F``,
    alone: it keeps what a target has in common with ``F`` and climbs out of the rest. So pages
    in one folder share the HTML. Better still, when no target of the item lies inside ``F``,
    the common part can only be within ``F``'s parent, and the URLs depend on that parent and
    on ``F``'s depth: pages in sibling folders (``traits/a/`` and ``traits/b/``) share it too.

    One memo serves one build: MkDocs calls ``on_env`` again for every rebuild while serving.
    """

    def __init__(self) -> None:
        self._html: dict[tuple[object, ...], str] = {}
        self._prefixes: dict[int, frozenset[Folder]] = {}
        self._keep: list[object] = []  # items are keyed by id(): keep them alive with the memo
        self.hits = 0

    def __call__(self, render: Callable[..., str], item: Any, path: str, level: int, parent: Any, *, page: Any) -> str:
        url = getattr(page, "url", None)
        # Active items change from page to page; items with `pages` are plugin-made sections
        # (e.g. a blog's) that Material treats specially.
        if not isinstance(url, str) or getattr(item, "active", False) or getattr(item, "pages", None):
            return render(item, path, level, parent)
        folder = url_folder(url)
        where: tuple[object, ...] = (folder,) if folder in self._subtree_prefixes(item) else (folder[:-1], len(folder))
        key = (id(item), path, level, bool(getattr(parent, "active", False)), *where)
        html = self._html.get(key)
        if html is None:
            html = self._html[key] = render(item, path, level, parent)
        else:
            self.hits += 1
        return html

    def _subtree_prefixes(self, item: Any) -> frozenset[Folder]:
        found = self._prefixes.get(id(item))
        if found is None:
            found = self._prefixes[id(item)] = _prefixes(item)
            self._keep.append(item)
        return found


class PageMemo:
    """Render a page's table of contents once: Material renders it twice per page, into the
    sidebar (shown on narrow screens) and beside the content, from the same ``page.toc``."""

    def __init__(self) -> None:
        self._page: object = None
        self._html = ""

    def __call__(self, render: Callable[[], str], page: Any) -> str:
        if page is None:
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


class ThemeLoader(BaseLoader):
    """The theme's loader, with the changes above made to the theme's templates as they load.

    Only templates from ``theme_dirs`` are changed: a project's own override of one of these
    templates (in ``custom_dir``) is left as it is.
    """

    def __init__(self, inner: BaseLoader, theme_dirs: Sequence[Path]) -> None:
        self.inner = inner
        self.theme_dirs = [path.resolve() for path in theme_dirs]

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        patch = PATCHES.get(template)
        if patch is not None and filename is not None and self._from_theme(Path(filename)):
            patched = patch(source, environment)
            if patched is None:
                log.info("traitbook: the theme's %s has changed; it is rendered without reuse", template)
            else:
                source = patched
        return source, filename, uptodate

    def _from_theme(self, path: Path) -> bool:
        path = path.resolve()
        return any(path.is_relative_to(folder) for folder in self.theme_dirs)

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def on_env(env: Environment, config: Any, files: Any) -> Environment:
    env.trim_blocks = True
    env.lstrip_blocks = True
    if env.loader is not None and not isinstance(env.loader, ThemeLoader):
        own = config.theme.custom_dir
        env.loader = ThemeLoader(env.loader, [Path(d) for d in config.theme.dirs if d != own])
    env.globals[MEMO_GLOBAL] = SidebarMemo()
    env.globals[TOC_GLOBAL] = PageMemo()
    return env
