"""Rules for catalogue Markdown, kept in one place: what a Markdown field may contain.

A Markdown field is data: it may format its own text and nothing else. The catalogue comes
from pull requests, and its text passes through MkDocs' whole Markdown pipeline, so each rule
closes one way text could act on the build or on readers:

- no raw HTML, event attributes, attribute lists (``{…}``, with or without the colon) or
  script URLs: the site runs self-check JavaScript whose storage an injected script could read;
- no image from another host, however written (inline, by reference, with entities, ``//host``):
  the site and the handbook work offline and make no request elsewhere;
- no snippet marker (``--8<--``): pymdownx.snippets would paste another file into the page;
- no headings and no unclosed code fence: the page's sections give its structure, and a fence
  left open would pair with one in a later field and swallow the page between them;
- limits no real author meets (size, ``[`` count, nesting), checked before anything else:
  Python-Markdown recurses once per nesting level and scans forward from every ``[``, so a
  few kilobytes of ``[`` or ``- - - …`` would take minutes or crash the build.

Code spans and fenced blocks are exempt from the prose rules, so a security catalogue can
still *mention* ``<script>`` as text. Entities are decoded before checking, so
``&#106;avascript:`` is caught.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown as md
from markdown.inlinepatterns import AUTOLINK_RE, AUTOMAIL_RE

#: The longest field of the real catalogue is about 1,600 characters. A field this long would
#: be several pages of print; longer text belongs in more sections.
MAX_MARKDOWN_CHARS = 10_000
#: A plain-text field is a title, a sentence or a question: the real catalogue's longest is 260.
MAX_PLAIN_CHARS = 2_000
#: ``[`` opens a link, an image or a reference: a real field has a handful. Python-Markdown
#: scans forward from each one, so their number times the field's length bounds the work.
MAX_BRACKETS = 50
#: Lists and quotes nested this deep are already unreadable; Python-Markdown recurses per level.
MAX_NESTING = 8

# Any "<" that a browser could read as the start of a tag, a comment or an instruction: not only
# well-formed tags ("<b&x/style=…>" is an element too, and Python-Markdown passes it through).
_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9-]*|[!?/])")
# Autolinks become links Python-Markdown writes itself, so they are not raw HTML.
_AUTOLINKS = re.compile(f"{AUTOLINK_RE}|{AUTOMAIL_RE}")
_EVENT_ATTR = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]+")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# pymdownx.snippets' own rule: a run of dashes, `8<`, dashes, at the start of a line.
_SNIPPET = re.compile(r"^[ \t]*;*-+8<-+", re.MULTILINE)
# What may stand before a block's own text on a line: indentation, quote and list markers.
_CONTAINERS = r"(?:[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t])))*[ \t]*"
# Python-Markdown needs no space after the hashes: "#word" at the start of a line is a heading.
_ATX_HEADING = re.compile(rf"^{_CONTAINERS}#", re.MULTILINE)
# A line of only `=` or `-` right under text turns that text into a heading (setext).
_SETEXT_HEADING = re.compile(r"^[ \t>]*[^\s>][^\n]*\n[ \t>]*(?:=+|-+)[ \t]*$", re.MULTILINE)
_FENCE_LINE = re.compile(rf"^{_CONTAINERS}(`{{3,}}|~{{3,}})(.*)$", re.MULTILINE)
# A line that may be nested at all: indented, or starting with a quote or list marker.
_NESTED_CANDIDATE = re.compile(r"^(?:[ \t]*(?:>|[-+*][ \t]|\d{1,9}[.)][ \t])|[ \t]{4})", re.MULTILINE)
_CONTAINER_MARK = re.compile(r"[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))")


# A fence opener the site reads as one: the fence at the start of the line, then at most a
# language name. Anything else on the line and the site shows the line as text.
_CLEAN_OPENER = re.compile(r"(`{3,}|~{3,})[ \t]*[\w#.+-]*[ \t]*")
_TICKS = re.compile(r"(?<!\\)`+")  # a backslash before a backtick escapes it


@dataclass(frozen=True)
class Code:
    """A fenced block or an inline code span of a Markdown field: shown literally."""

    body: str
    block: bool


def split_code(text: str) -> list[str | Code]:
    """``text`` as prose pieces and :class:`Code` pieces, in order.

    The one place that decides what is code: the checks exempt exactly these pieces, and
    the renderer writes exactly these pieces as escaped HTML (``render.md_block``), so no
    Markdown engine later pairs backticks differently and turns checked code into unchecked
    prose. A fenced block needs a clean opening line and exactly the same fence to close it;
    an inline span is a run of backticks closed by the next run of the same length. Both scans
    are linear: a regular expression with a back-reference takes cubic time on backtick runs.
    """
    pieces: list[str | Code] = []
    kept_to = 0
    for begin, end, code in code_regions(text):
        pieces += [text[kept_to:begin], code]
        kept_to = end
    pieces.append(text[kept_to:])
    return [p for p in pieces if p != ""]


def code_regions(text: str) -> list[tuple[int, int, Code]]:
    """Where each piece of code is written in ``text`` (its fences or backticks included), in order."""
    regions: list[tuple[int, int, Code]] = []
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    prose_from, i = 0, 0
    while i < len(lines):
        opener = _CLEAN_OPENER.fullmatch(lines[i].rstrip("\r\n"))
        end = _fence_end(lines, i + 1, opener.group(1)) if opener else None
        if end is None:
            i += 1
            continue
        regions += _inline_code(text, starts[prose_from], starts[i])
        regions.append((starts[i], starts[end + 1], Code("".join(lines[i + 1 : end]), block=True)))
        prose_from = i = end + 1
    return regions + _inline_code(text, starts[prose_from], len(text))


def _fence_end(lines: list[str], start: int, fence: str) -> int | None:
    """The line that closes ``fence`` (exactly the same fence), or None if another line that
    starts like a fence comes first."""
    for j in range(start, len(lines)):
        stripped = lines[j].strip()
        if stripped == fence:
            return j
        if stripped.startswith(fence[0] * 3):
            return None
    return None


def _inline_code(text: str, low: int, high: int) -> list[tuple[int, int, Code]]:
    """The code spans of ``text[low:high]``, with their places in ``text``."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text, low, high)]
    if len(runs) < 2:
        return []
    by_length: dict[int, list[int]] = {}
    for index, (begin, end) in enumerate(runs):
        by_length.setdefault(end - begin, []).append(index)
    regions: list[tuple[int, int, Code]] = []
    index = 0
    while index < len(runs):
        begin, end = runs[index]
        same = by_length[end - begin]
        after = bisect.bisect_right(same, index)
        if after == len(same):
            index += 1
            continue
        closer = same[after]
        regions.append((begin, runs[closer][1], Code(text[end : runs[closer][0]], block=False)))
        index = closer + 1
    return regions


def strip_code(text: str) -> str:
    """``text`` with each piece of code (:func:`split_code`) replaced by a neutral letter: the
    prose the rules check. A letter, not a space, because the code's HTML still stands there
    on the page (a line of ``-`` under it still makes a heading)."""
    return "".join(p if isinstance(p, str) else ("c\n" if p.block else "c") for p in split_code(text))


def code_as_html(text: str) -> str:
    """``text`` with its code written as HTML that shows it literally, wherever it lands.

    Every ASCII punctuation character of the code becomes a character reference, so no
    Markdown engine finds syntax in it (``[x](javascript:…)`` inside code stays text), and
    each piece of code is one line (a newline in a block is ``&#10;``, in a span a space), so
    no line inside it can start a heading or a list.
    """
    out = []
    for piece in split_code(text):
        if isinstance(piece, str):
            out.append(piece)
        elif piece.block:
            out.append(f"<pre><code>{_literal(piece.body).replace(chr(10), '&#10;')}</code></pre>\n")
        else:
            out.append(f"<code>{_literal(' '.join(piece.body.split(chr(10))).strip())}</code>")
    return "".join(out)


_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def _literal(code: str) -> str:
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", code)


@dataclass(frozen=True)
class Finding:
    """One reason a Markdown text is refused, and where in the text it is (the index of its first
    character; None when it concerns the whole text, as a size limit does)."""

    message: str
    offset: int | None = None


class MarkdownError(ValueError):
    """The validator's error: every finding, so that each is reported at its own line."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = tuple(findings)


def markdown_problems(text: str) -> list[str]:
    """Every reason ``text`` is not acceptable as catalogue Markdown (empty list: fine)."""
    return [finding.message for finding in markdown_findings(text)]


def markdown_findings(text: str) -> list[Finding]:
    """Every reason ``text`` is not acceptable as catalogue Markdown, each with its place.

    Each rule first looks for a character it needs, so ordinary prose costs a few scans. A place
    is looked for only once its rule has fired, in the text with its code masked (computed once,
    on the first problem), so accepted text costs nothing more.
    """
    if len(text) > MAX_MARKDOWN_CHARS:
        # Nothing else is looked at: every other rule's cost grows with the text.
        return [
            Finding(
                f"is {len(text):,} characters long, over the limit of {MAX_MARKDOWN_CHARS:,} for one Markdown "
                "field; split it into several sections or shorten it"
            )
        ]
    prose = strip_code(text) if "`" in text or "~~~" in text else text
    masked = functools.cache(lambda: mask_code(text))
    found = _limit_problems(text, prose) + _structure_problems(text, prose, masked) + _markup_problems(prose, masked)
    if not found and "![" in text and (remote := [src for src in _page_image_sources(text) if _is_remote(src)]):
        written = text.find(remote[0])
        at = written if written >= 0 else text.find("![")
        found.append(Finding("images from other hosts are not allowed; the site and handbook work offline", at))
    return found


def _start(match: re.Match[str] | None) -> int | None:
    return match.start() if match else None


def _earliest(*matches: re.Match[str] | None) -> re.Match[str] | None:
    return min((m for m in matches if m is not None), key=lambda m: m.start(), default=None)


def _markup_problems(prose: str, masked: Callable[[], str]) -> list[Finding]:
    problems = []
    decoded = html.unescape(html.unescape(prose)) if "&" in prose else prose
    if "<" in decoded and (tag := _TAG.search(_AUTOLINKS.sub(" ", decoded))):
        # Autolinks are blanked, not removed, so that the tags after them keep their places.
        written = _earliest(
            _TAG.search(_AUTOLINKS.sub(lambda m: " " * len(m.group()), masked())), _LT_ENTITY.search(masked())
        )
        message = (
            f"raw HTML is not allowed ({_shown(tag.group(1))}); use Markdown, or put it in `backticks` to show "
            "it as code (a < before a letter starts a tag: write 'x < y' with spaces)"
        )
        problems.append(Finding(message, _start(written)))
    if "=" in decoded and _EVENT_ATTR.search(decoded):
        problems.append(
            Finding("event-handler attributes (on…=) are not allowed", _start(_EVENT_ATTR.search(masked())))
        )
    if "{" in decoded and (_has_brace_group(prose) or _has_brace_group(decoded)):
        brace = masked().find("{") if _has_brace_group(masked()) else _start(_BRACE_ENTITY.search(masked()))
        message = "attribute lists ({: …} or {…}) are not allowed; put braces in `backticks` to show them"
        problems.append(Finding(message, brace))
    if ":" in decoded:
        squashed = _INVISIBLE.sub("", decoded).lower()
        problems += [
            Finding(f"{scheme} URLs are not allowed", _start(_spelt(scheme).search(masked())))
            for scheme in _BAD_SCHEMES
            if scheme in squashed
        ]
    return problems


def _spelt(word: str) -> re.Pattern[str]:
    """``word`` in any case, with invisible characters between its letters (the check squashes them)."""
    return re.compile(_GAP.join(re.escape(c) for c in word), re.IGNORECASE)


def _shown(tag: str) -> str:
    return f"<{tag}>" if tag.strip("/").isalnum() else f"<{tag}"


def _limit_problems(text: str, prose: str) -> list[Finding]:
    problems = []
    brackets = prose.count("[")
    if brackets > MAX_BRACKETS:
        problems.append(
            Finding(
                f"has {brackets} '[' characters, over the limit of {MAX_BRACKETS} for one Markdown field; "
                "split the text, or put literal brackets in `backticks`"
            )
        )
    if _NESTED_CANDIDATE.search(text):
        depth, number = max((nesting(line), n) for n, line in enumerate(text.splitlines(), start=1))
        if depth > MAX_NESTING:
            message = (
                f"line {number} of the text is nested {depth} levels deep (lists, quotes, indentation), "
                f"over the limit of {MAX_NESTING}"
            )
            problems.append(Finding(message, _line_start(text, number)))
    return problems


def nesting(line: str) -> int:
    """How deep a line sits: its quote and list markers, plus its indentation in steps of 4."""
    indent = len(line) - len(line.lstrip(" \t"))
    width = len(line[:indent].expandtabs(4))
    depth, position = 0, 0
    while marker := _CONTAINER_MARK.match(line, position):
        depth, position = depth + 1, marker.end()
    return depth + width // 4


def _structure_problems(text: str, prose: str, masked: Callable[[], str]) -> list[Finding]:
    problems = []
    if "8<" in text and (snippet := _SNIPPET.search(text)):
        message = (
            "the snippet marker --8<-- is not allowed at the start of a line: the site would paste "
            "another file there; reword it, or move it off the start of the line"
        )
        problems.append(Finding(message, snippet.start() + len(snippet.group()) - len(snippet.group().lstrip(" \t;"))))
    if ("#" in prose and _ATX_HEADING.search(prose)) or _SETEXT_HEADING.search(prose):
        message = (
            "headings are not allowed in Markdown fields (a line starting with #, or text underlined "
            "with = or -): the page's sections give its headings; add a section, or use **bold** for a label"
        )
        problems.append(Finding(message, _heading_at(masked())))
    if ("```" in text or "~~~" in text) and (opened := _unclosed_fence_line(text)):
        fence = opened.group(1)
        message = f"the code fence {fence!r} is never closed; close it with a line of {fence}"
        problems.append(Finding(message, opened.start(1)))
    return problems


def unclosed_fence(text: str) -> str | None:
    """The fence left open at the end of ``text`` (as CommonMark pairs them), or None."""
    opened = _unclosed_fence_line(text)
    return opened.group(1) if opened else None


def _unclosed_fence_line(text: str) -> re.Match[str] | None:
    """The line of the fence left open at the end of ``text``, or None."""
    open_fence: re.Match[str] | None = None
    for match in _FENCE_LINE.finditer(text):
        fence, rest = match.group(1), match.group(2)
        if open_fence is None:
            if not (fence[0] == "`" and "`" in rest):  # a backtick fence's info string has no backtick
                open_fence = match
        elif fence[0] == open_fence.group(1)[0] and len(fence) >= len(open_fence.group(1)) and not rest.strip():
            open_fence = None
    return open_fence


def mask_code(text: str) -> str:
    """``text`` with every character of its code (:func:`code_regions`) but the line breaks
    replaced by a letter: the prose, at the same places as in ``text``."""
    if "`" not in text and "~~~" not in text:
        return text
    out, kept_to = [], 0
    for begin, end, _ in code_regions(text):
        out += [text[kept_to:begin], re.sub(r"[^\n]", "c", text[begin:end])]
        kept_to = end
    out.append(text[kept_to:])
    return "".join(out)


# Invisible characters between the letters of a scheme still spell it (the check squashes them).
_GAP = r"[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]*"
# A "<" or "{" written as a character reference (the checks decode them).
_LT_ENTITY = re.compile(r"&(?:lt|#0*60|#x0*3c);", re.IGNORECASE)
_BRACE_ENTITY = re.compile(r"&(?:lbrace|lcub|#0*123|#x0*7b);", re.IGNORECASE)


def _heading_at(masked: str) -> int | None:
    """The '#' of the first heading, or the first character of a setext heading's underline."""
    places = []
    if atx := _ATX_HEADING.search(masked):
        places.append(atx.end() - 1)
    if setext := _SETEXT_HEADING.search(masked):
        underline = setext.start() + setext.group().index("\n") + 1
        places.append(underline + len(masked[underline:]) - len(masked[underline:].lstrip(" \t>")))
    return min(places) if places else None


def _line_start(text: str, number: int) -> int | None:
    """The first character (after indentation) of line ``number`` (1-based) of ``text``."""
    lines = text.splitlines(keepends=True)
    if not 0 < number <= len(lines):
        return None
    begin = sum(len(line) for line in lines[: number - 1])
    return begin + len(lines[number - 1]) - len(lines[number - 1].lstrip(" \t"))


class _ImageSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources += [value or "" for name, value in attrs if name in {"src", "srcset"}]


def image_sources(text: str) -> list[str]:
    """Where the images of ``text`` load from, as the browser will read them.

    Rendered rather than pattern-matched, so that every way of writing an image counts: inline,
    by reference (``![x][r]`` with ``[r]: url`` anywhere in the field), with entities in the URL.
    Only called on text within the limits above.
    """
    parser = _ImageSources()
    parser.feed(md.markdown(text, extensions=["sane_lists", "tables"]))
    parser.close()
    return parser.sources


def _page_image_sources(text: str) -> list[str]:
    """The images of ``text`` as the site's pages show it: as written, and joined into one
    line as a list item (``trait.md.j2``), where an image split over lines becomes whole."""
    page = code_as_html(text)
    sources = image_sources(page)
    return sources + image_sources(page.replace("\n", " ")) if "\n" in page else sources


def _has_brace_group(text: str) -> bool:
    """``{`` and, after it, ``}`` around anything but spaces: attr_list reads such a group
    after a heading, a link, an image or emphasis, with or without the ``:``. Across lines
    too, since a list item's text is joined into one line on the page."""
    opening, closing = text.find("{"), text.rfind("}")
    return -1 < opening < closing and bool(text[opening + 1 : closing].strip(" \t\r\n{}"))


def _is_remote(src: str) -> bool:
    """A URL the browser would fetch from a host: any scheme, or ``//host`` (browsers read a
    backslash as a slash, so ``\\\\host`` counts too)."""
    url = _INVISIBLE.sub("", src).replace("\\", "/")
    if url.startswith("//"):
        return True
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def check_plain(text: str) -> str:
    """Pydantic validator for plain text: only its length is limited (it is shown literally)."""
    if len(text) > MAX_PLAIN_CHARS:
        raise ValueError(
            f"is {len(text):,} characters long, over the limit of {MAX_PLAIN_CHARS:,} for a plain-text field"
        )
    return text


def check_markdown(text: str) -> str:
    """Pydantic validator: raise with every problem at once, so one run reports them all, each
    with its place in the text (the loader maps it to a line of the file)."""
    findings = markdown_findings(text)
    if findings:
        raise MarkdownError(findings)
    return text
