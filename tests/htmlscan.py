"""A small HTML scanner for built-site tests: links, ids, asset URLs, event attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Scan:
    links: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    event_attrs: list[str] = field(default_factory=list)
    scripts_inline: int = 0


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = Scan()
        self._in_script_without_src = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.scan.ids.add(values["id"])
        self.scan.event_attrs += [k for k in values if k.startswith("on")]
        if tag == "a" and "href" in values:
            self.scan.links.append(values["href"])
        if tag in ("script", "img", "iframe", "source") and values.get("src"):
            self.scan.assets.append(values["src"])
        # rel=canonical/alternate name a URL without fetching it; other <link>s are fetched.
        if tag == "link" and values.get("href") and values.get("rel") not in ("canonical", "alternate"):
            self.scan.assets.append(values["href"])
        if tag == "script" and not values.get("src") and values.get("type", "") not in ("application/json",):
            self._in_script_without_src = True

    def handle_data(self, data: str) -> None:
        if self._in_script_without_src and data.strip():
            self.scan.scripts_inline += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script_without_src = False


def scan(path: Path) -> Scan:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.scan


#: Elements whose content a reader never sees as text.
HIDDEN = ("script", "style", "template")


@dataclass
class PageText:
    """What a page shows: its text nodes outside :data:`HIDDEN` elements (decoded, in order)
    and every start tag with its attributes (decoded, in order)."""

    texts: list[str] = field(default_factory=list)
    tags: list[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=list)

    def words(self) -> str:
        """The visible text as one line, words separated by single spaces."""
        return " ".join(" ".join(self.texts).split())

    def attributes(self, *names: str) -> list[str]:
        """The values of these attributes, on any tag, in page order."""
        return [value for _, attrs in self.tags for name, value in attrs if name in names and value]


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageText()
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in HIDDEN
        self.page.tags.append((tag, tuple((k, v or "") for k, v in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._hidden = max(0, self._hidden - (tag in HIDDEN))

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.page.texts.append(data)


def page_text(html: str) -> PageText:
    """The one reader of a page's visible text for the tests (:class:`PageText`)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.page
