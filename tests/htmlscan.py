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
