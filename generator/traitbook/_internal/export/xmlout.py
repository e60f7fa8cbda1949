"""Serialising the exports' XML: one way, so the same bank always gives the same bytes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

#: Stands in for a CDATA section in the tree until it is serialised (ElementTree writes none).
#: Private-use characters, which a catalogue cannot contain (the loader refuses them).
from ..errors import ExportError

_TOKEN = re.compile("\ue000([0-9]+)\ue001")


@dataclass
class CData:
    """Texts to write as CDATA sections, each put into the tree as a token."""

    texts: list[str] = field(default_factory=list)

    def token(self, text: str) -> str:
        self.texts.append(text)
        return f"\ue000{len(self.texts) - 1}\ue001"


def cdata_section(text: str) -> str:
    """``text`` as CDATA; a "]]>" inside is split across two sections, as Moodle's exporter does."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def xml_bytes(root: ET.Element, cdata: CData | None = None) -> bytes:
    """UTF-8 with a declaration, indented; attributes in the order they were set; the tokens
    of ``cdata`` replaced by their sections."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    if cdata is not None:
        found = [int(m[1]) for m in _TOKEN.finditer(body)]
        if found != list(range(len(cdata.texts))):  # a text that held a token itself
            raise ExportError("text to export contains the private-use characters that mark CDATA")
        body = _TOKEN.sub(lambda m: cdata_section(cdata.texts[int(m[1])]), body)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
