"""Serialising the exports' XML: one way, so the same bank always gives the same bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def xml_bytes(root: ET.Element) -> bytes:
    """UTF-8 with a declaration, indented; attributes in the order they were set."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
