"""Rules for text that becomes markup, kept in one place.

Markdown fields may use Markdown but no raw HTML: the catalogue comes from pull requests,
and the site runs self-check JavaScript whose storage an injected script could read.
Code spans and fenced blocks are exempt, so a security catalogue can still *mention*
``<script>`` as text. Entities are decoded before checking so ``&#106;avascript:`` is caught.
"""

from __future__ import annotations

import html
import re

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\S\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])|<!--|<\?|<!\[CDATA\[")
_EVENT_ATTR = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
_ATTR_LIST = re.compile(r"\{:")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f\u200b-\u200d\u2060\ufeff]+")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# An image from another host would make every reader's browser (and the PDF renderer) call it.
_REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def strip_code(text: str) -> str:
    """Text without fenced blocks and inline code spans (their content is shown literally)."""
    return _CODE_SPAN.sub(" ", _FENCE.sub(" ", text))


#: Characters without which none of the rules below can match: most prose skips every regex.
#: (A character class scans in C; ``frozenset.isdisjoint(text)`` was 2.5× slower.)
_TRIGGERS = re.compile(r"[<&={:!]")


def markdown_problems(text: str) -> list[str]:
    """Every reason ``text`` is not acceptable as catalogue Markdown (empty list: fine)."""
    if not _TRIGGERS.search(text):
        return []
    prose = strip_code(text)
    decoded = html.unescape(html.unescape(prose))
    problems = []
    tag = _TAG.search(decoded)
    if tag:
        shown = f"<{tag.group(1)}>" if tag.group(1) else tag.group(0)
        problems.append(f"raw HTML is not allowed ({shown}); use Markdown, or put it in `backticks` to show it as code")
    if _EVENT_ATTR.search(decoded):
        problems.append("event-handler attributes (on…=) are not allowed")
    if _ATTR_LIST.search(decoded):
        problems.append("attribute lists ({: …}) are not allowed")
    if _REMOTE_IMAGE.search(decoded):
        problems.append("images from other hosts are not allowed; the site and handbook work offline")
    squashed = _INVISIBLE.sub("", decoded).lower()
    for scheme in _BAD_SCHEMES:
        if scheme in squashed:
            problems.append(f"{scheme} URLs are not allowed")
    return problems


def check_markdown(text: str) -> str:
    """Pydantic validator: raise with every problem at once, so one run reports them all."""
    problems = markdown_problems(text)
    if problems:
        raise ValueError("; ".join(problems))
    return text
