"""Where each character of a text value is written in its file.

A problem found inside a long text (a Markdown body written as ``body: |`` over forty lines)
should point at the line that holds it, not at the key. YAML changes text on its way to the
value: it removes the indentation of a block, folds line breaks into spaces (``>`` blocks and
multi-line plain or quoted text), trims the white space around folded breaks and turns ``''``
into ``'`` in single quotes. So the value is rebuilt here from the source, character by
character, with the position each one came from, and the mapping is used only if the rebuilt
text is exactly the value. Where that cannot be done reliably (escapes in double quotes), there
is no mapping, and the caller keeps the key's position.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

import yaml

from .syntax import split_lines

_INDICATOR = re.compile(r"[|>][-+]?[1-9]?[-+]?")
_BREAK_CHARS = "\r\n\x85\u2028\u2029"


def value_positions(text: str, node: yaml.ScalarNode) -> list[tuple[int, int]] | None:
    """The 0-based (line, column) in ``text`` of every character of ``node``'s value, or None."""
    if node.style in ("|", ">"):
        return _block_positions(text, node)
    if node.style == '"' and "\\" in text[node.start_mark.index : node.end_mark.index]:
        return None  # escapes: \n, \t, \u00e9 and escaped line breaks do not map one to one
    return _flow_positions(text, node)


def _line_col(text: str) -> Callable[[int], tuple[int, int]]:
    """A function from an index of ``text`` to its (line, column), lines counted as libyaml counts them."""
    lines, breaks = split_lines(text)
    starts, at = [], 0
    for line, end in zip(lines, breaks, strict=True):
        starts.append(at)
        at += len(line) + len(end)

    def where(index: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, index) - 1
        return line, index - starts[line]

    return where


def _block_positions(text: str, node: yaml.ScalarNode) -> list[tuple[int, int]] | None:
    """A literal (``|``) or folded (``>``) block: its lines after the header, without their
    indentation; each line break kept (literal) or folded into a space (folded) in the value."""
    lines, _ = split_lines(text)
    header = node.start_mark.line
    if _INDICATOR.match(lines[header], node.start_mark.column) is None:
        return None
    last = min(node.end_mark.line, len(lines) - 1)
    body = lines[header + 1 : last + 1]
    value = node.value
    indent = _block_indent(body, value)
    out: list[tuple[int, int]] = []
    at = 0
    for offset, line in enumerate(body):
        if at >= len(value) or (line.strip(" ") and len(line) - len(line.lstrip(" ")) < indent):
            break  # the value is complete, or the block has ended
        number = header + 1 + offset
        content = line[indent:] if len(line) > indent else ""
        if content:
            if value[at : at + len(content)] != content:
                return None
            out += [(number, indent + j) for j in range(len(content))]
            at += len(content)
        # The line's break: "\n" in the value, a space where a folded block joins two lines, or
        # nothing where a folded break gave way to the blank lines after it.
        if at < len(value) and value[at] in " \n" and (content or value[at] == "\n"):
            out.append((number, len(line)))
            at += 1
    return out if value[at:].strip("\n") == "" else None


def _block_indent(body: list[str], value: str) -> int:
    """The indentation of a block's text: its first line's, less the spaces that belong to the
    text (a block that starts with spaces has an explicit indentation indicator, ``|2``)."""
    first = next((line for line in body if line.strip(" ")), "")
    lead = len(first) - len(first.lstrip(" "))
    text = value.lstrip("\n")
    return next((i for i in range(lead, -1, -1) if text.startswith(first[i:])), lead)


def _flow_positions(text: str, node: yaml.ScalarNode) -> list[tuple[int, int]] | None:
    """Plain, single-quoted or double-quoted text (without escapes): each line break folded
    into a space, or into n line breaks after n blank lines, the white space around it dropped."""
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("'", '"'):
        start, end = start + 1, end - 1
    source, value = text[start:end], node.value
    where = _line_col(text)
    out: list[int] = []
    p, at = 0, 0
    while p < len(source):
        char = source[p]
        if char in _BREAK_CHARS or (char in " \t" and _only_blank_to_break(source, p)):
            line_end = start + p
            folded = _fold(source, p)
            if folded is None:
                return None
            p, breaks = folded
            want = "\n" * breaks if breaks else " "
            if value[at : at + len(want)] != want:
                return None
            out += [line_end] * len(want)
            at += len(want)
            continue
        if node.style == "'" and source.startswith("''", p):
            char, step = "'", 2
        else:
            step = 1
        if at >= len(value) or value[at] != char:
            return None
        out.append(start + p)
        at, p = at + 1, p + step
    if at != len(value):
        return None
    return [where(index) for index in out]


def _only_blank_to_break(source: str, p: int) -> bool:
    """Only spaces and tabs from ``p`` to the next line break (trailing white space, which folding drops)."""
    rest = len(source) - len(source[p:].lstrip(" \t"))
    return rest < len(source) and source[rest] in _BREAK_CHARS


def _fold(source: str, p: int) -> tuple[int, int] | None:
    """From trailing white space or a line break at ``p``: the index of the next line's text and
    how many blank lines lay between (0: the break becomes a space)."""
    while p < len(source) and source[p] in " \t":
        p += 1
    breaks = -1
    while p < len(source) and source[p] in _BREAK_CHARS:
        p += 2 if source.startswith("\r\n", p) else 1
        breaks += 1
        while p < len(source) and source[p] in " \t":
            p += 1
    return (p, max(breaks, 0)) if breaks >= 0 else None
