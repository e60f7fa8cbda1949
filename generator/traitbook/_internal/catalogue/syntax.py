"""YAML syntax errors in an author's words: what went wrong, how to fix it, and where.

libyaml stops at the first error and says what *it* expected ("mapping values are not allowed
in this context"), at the place where it gave up, which for an unclosed quote can be dozens of
lines after the quote. An author needs the line to change and the change to make. So each
common mistake is recognised from libyaml's message, its marks, the tokens it read before it
stopped and the source lines around them, and explained at the line where the author acts:

- ``: `` inside text that is not quoted, which YAML reads as a second key;
- a quote that is not closed on its line (reported where it opens), an apostrophe that ends a
  single-quoted text, text after a closing quote, a backslash inside double quotes;
- a tab in the indentation;
- a list item or key indented unlike its siblings, a list item where a key is expected, a line
  that is neither ``key: value`` nor indented under the text it continues, ``key:value``;
- a value that starts with a character YAML reserves (``@``, a backtick, ``%``, ``*``, ``&``,
  ``|``, ``>``, ``- ``, ``?``, ``[…]`` followed by more text).

When no rule matches, libyaml's own message is kept, at its position.

One run reports every mistake of a file: after a mistake is explained, the construct that
holds it (its line and the lines indented under it) is blanked in a copy of the text, and the
copy is parsed again, so the next mistake is found as if the author had set that one aside.
Blank lines keep every other line and column where it was. The search stops at a mistake no
rule explains, when the parser gives up at or before a place already reported (so a guess
cannot cascade into invented errors), or after :data:`MAX_SYNTAX_PROBLEMS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml

#: More mistakes than this in one file: the author has enough to fix before the next run.
MAX_SYNTAX_PROBLEMS = 20

# libyaml's line breaks (it reads YAML 1.1, where NEL, LS and PS end a line too): positions
# must be counted exactly as its marks count them.
_BREAK = re.compile("(\r\n|[\r\n\x85\u2028\u2029])")
# A line that YAML reads as structure: a key followed by ': ' (or at the end of the line), or a list item.
_KEY_LINE = re.compile(r"[ ]*(?:-[ ]+)*(?:[^\s#'\"\[\]{},:-][^:#]*?|-[^\s:][^:#]*?)[ ]*:(?:[ ]|$)")
_ITEM_LINE = re.compile(r"[ ]*-(?:[ ]|$)")
# The line that opens a block text: "key: |", "- >-", with an optional comment after it.
_BLOCK_HEADER = re.compile(r"(?:.*:|[ ]*-|.*[ ]-)[ ]+[|>][-+0-9]*[ ]*(?:#.*)?")
_KEY_NO_SPACE = re.compile(r"([ ]*(?:-[ ]+)*)([A-Za-z_][\w-]*):(\S.*)")
# What a key of a catalogue file looks like (a text line that holds ': ' is not one).
_KEY_NAME = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Explained:
    """One mistake: where the author acts (0-based line and column) and what to do.

    ``resume`` is the line of the construct to set aside before looking for the next mistake
    (it is blanked with the lines indented under it); None when the search must stop there.
    """

    line: int
    column: int
    message: str
    resume: int | None


def split_lines(text: str) -> tuple[list[str], list[str]]:
    """The lines of ``text`` and the break after each (the last one's is empty), as libyaml counts them."""
    parts = _BREAK.split(text)
    return parts[0::2], [*parts[1::2], ""]


def syntax_problems(
    text: str, error: yaml.MarkedYAMLError, first_error: Callable[[str], yaml.MarkedYAMLError | None]
) -> list[tuple[int, int, str]]:
    """Every syntax mistake of ``text`` that can be told apart, as 1-based (line, column, message).

    ``error`` is the parser's first error; ``first_error`` parses a text and returns its first
    error (None if it parses), to look for the next mistake once one has been set aside.
    """
    lines, breaks = split_lines(text)
    found: list[tuple[int, int, str]] = []
    reported: set[int] = set()
    current: yaml.MarkedYAMLError | None = error
    while current is not None and len(found) < MAX_SYNTAX_PROBLEMS:
        explained = explain(lines, current)
        if explained.line in reported:
            break
        found.append((explained.line + 1, explained.column + 1, explained.message))
        reported.add(explained.line)
        if explained.resume is None or not lines[explained.resume].strip():
            break
        for number in construct(lines, explained.resume):
            lines[number] = ""
        current = first_error("".join(line + end for line, end in zip(lines, breaks, strict=True)))
        if current is not None and _position(current.problem_mark or current.context_mark)[0] <= explained.resume:
            break  # the parser gives up where the mistake was: setting it aside did not get past it
    return found


def _position(mark: Any) -> tuple[int, int]:
    return (mark.line, mark.column) if mark is not None else (0, 0)


def construct(lines: list[str], first: int) -> Iterator[int]:
    """Line ``first`` and the lines after it that belong to it: blank, or indented deeper."""
    yield first
    depth = _indent(lines[first])
    for number in range(first + 1, len(lines)):
        line = lines[number]
        if line.strip() and _indent(line) <= depth:
            return
        yield number


def _indent(line: str) -> int:
    """Columns of white space before the text (a tab counts as 8: only to find what a line holds)."""
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(8))


def _first(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


@dataclass
class _Error:
    """The parser's error with the source lines and the tokens read before it."""

    lines: list[str]
    error: yaml.MarkedYAMLError

    @property
    def problem(self) -> str:
        return self.error.problem or ""

    @property
    def context(self) -> str:
        return self.error.context or ""

    @property
    def at(self) -> tuple[int, int]:
        return _position(self.error.problem_mark or self.error.context_mark)

    @property
    def opened(self) -> tuple[int, int] | None:
        mark = self.error.context_mark
        return (mark.line, mark.column) if mark is not None else None

    def char(self, where: tuple[int, int]) -> str:
        line, column = where
        text = self.lines[line] if line < len(self.lines) else ""
        return text[column] if column < len(text) else ""

    def line(self, number: int) -> str:
        return self.lines[number] if number < len(self.lines) else ""

    @cached_property
    def tokens(self) -> list[Any]:
        """The tokens libyaml read before the error's position (the scanner keeps going past a
        parser's error, so they are read again up to there)."""
        text = "\n".join(self.lines)
        limit = _index(self.lines, self.at)
        out: list[Any] = []
        try:
            for token in yaml.scan(text, Loader=yaml.CSafeLoader):
                if token.start_mark.index >= limit:
                    break
                out.append(token)
        except yaml.YAMLError:
            pass  # the scanner's own error: the tokens before it are all there is
        return out

    def last_scalar(self) -> Any | None:
        scalars = [t for t in self.tokens if isinstance(t, yaml.ScalarToken)]
        return scalars[-1] if scalars else None


def _index(lines: list[str], where: tuple[int, int]) -> int:
    """The index of a (line, column) in the lines joined with one-character breaks."""
    line, column = where
    return sum(len(text) + 1 for text in lines[:line]) + column


def explain(lines: list[str], error: yaml.MarkedYAMLError) -> Explained:
    """The first rule that recognises ``error``, or libyaml's own message at its position."""
    found = _Error(lines, error)
    for rule in _RULES:
        explained = rule(found)
        if explained is not None:
            return explained
    line, column = found.at
    return Explained(line, column, f"YAML syntax error: {found.problem}", None)


# --- the rules, most specific first ----------------------------------------------------------


def _tab(found: _Error) -> Explained | None:
    """A tab where YAML wants spaces: in the indentation (most often), or after '-' or ':'."""
    where = found.at
    if "tab" not in found.problem and found.char(where) != "\t":
        return None
    line = found.line(where[0])
    leading = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in leading:
        column = leading.index("\t")
        message = (
            "YAML syntax error: a tab in the indentation; YAML indents with spaces, not tabs. Replace the "
            "tab with spaces (most editors: 'Convert indentation to spaces')"
        )
        return Explained(where[0], column, message, where[0])
    if "\t" in line:
        column = line.index("\t")
        message = "YAML syntax error: a tab here; YAML allows spaces, not tabs, after '-' and ':' and in indentation"
        return Explained(where[0], column, message, where[0])
    return None


def quote_text(text: str) -> str:
    """``text`` as a quoted YAML scalar: double quotes, unless it holds a double quote or a
    backslash (then single quotes, with each ' written twice)."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _value_text(line: str, column: int) -> tuple[str, str]:
    """The value written from ``column`` to the end of ``line`` and the comment after it."""
    rest = line[column:]
    comment = re.search(r"[ \t]#", rest)
    if comment is None:
        return rest.rstrip(), ""
    return rest[: comment.start()].rstrip(), " " + rest[comment.start() :].strip()


def _suggest(line: str, column: int) -> str:
    """``line`` with its value from ``column`` on put in quotes."""
    value, comment = _value_text(line, column)
    return f"{line[:column].lstrip()}{quote_text(value)}{comment}"


def _quote_scanning(found: _Error) -> Explained | None:
    """libyaml stopped inside a quoted text: a bad escape on the quote's own line, or a quote
    that runs on (to the end of the file, or to a line it cannot read)."""
    opened = found.opened
    if "quoted scalar" not in found.context or opened is None:
        return None
    line, column = opened
    quote = found.char(opened)
    escape = "escape" in found.problem or "hexdecimal" in found.problem
    if escape and found.at[0] == line:
        text = found.line(line)
        backslash = text.rfind("\\", 0, found.at[1] + 1)
        close = text.find('"', column + 1)
        inner = text[column + 1 : close] if close > column else ""
        single = (
            f" or put the text in single quotes: {text[:column].lstrip()}'{inner}'"
            if inner and "'" not in inner
            else ""
        )
        message = (
            "YAML syntax error: inside double quotes a backslash starts an escape such as \\n; write \\\\ "
            f"for a backslash{single}"
        )
        return Explained(line, max(backslash, column), message, line)
    stray = _quote_before_block(found, quote, opened)
    if stray is not None:
        return stray
    fix = found.line(line).rstrip() + quote
    runs_to = "the end of the file" if "end of stream" in found.problem else f"line {found.at[0] + 1}"
    message = (
        f"YAML syntax error: the {quote} that opens the text here is never closed, so YAML reads everything "
        f"after it, up to {runs_to}, as part of this text; close it on this line: {fix.strip()}"
    )
    return Explained(line, column, message, line)


def _reserved_start(found: _Error) -> Explained | None:
    """A value that starts with a character YAML reads as syntax."""
    problem, context = found.problem, found.context
    where = found.at
    if "cannot start any token" in problem and found.char(where) in "@`%":
        char = found.char(where)
        why = f"a value cannot start with {char!r}, which YAML reserves"
    elif "while scanning an alias" in context or "while scanning an anchor" in context:
        where = found.opened or where
        kind = "an alias (a reference to a value elsewhere)" if found.char(where) == "*" else "an anchor (a name)"
        why = f"a value that starts with {found.char(where)!r} is read as {kind}"
    elif "while scanning a block scalar" in context and "comment or line break" in problem:
        where = found.opened or where
        why = (
            f"{found.char(where)!r} at the start of a value begins a block of text on the lines below it, "
            "so no text may follow it on its line"
        )
    elif "block sequence entries are not allowed" in problem:
        why = "a value that starts with '- ' is read as a list item, which cannot start here"
    elif "mapping keys are not allowed" in problem:
        why = "a value that starts with '? ' is read as a key, which cannot start here"
    else:
        return None
    line = found.line(where[0])
    return Explained(
        where[0], where[1], f"YAML syntax error: {why}; put the text in quotes: {_suggest(line, where[1])}", where[0]
    )


def _key_token(found: _Error, scalar: Any) -> Any | None:
    """The key whose value ``scalar`` is, from the tokens before it (None for a list item)."""
    tokens = found.tokens
    at = next((i for i, t in enumerate(tokens) if t is scalar), -1)
    if at >= 2 and isinstance(tokens[at - 1], yaml.ValueToken) and isinstance(tokens[at - 2], yaml.ScalarToken):
        return tokens[at - 2]
    return None


def _colon(found: _Error) -> Explained | None:
    """': ' inside text that is not quoted: YAML reads a key there."""
    if "mapping values are not allowed" not in found.problem:
        return None
    line, column = found.at
    scalar = found.last_scalar()
    if scalar is None:
        return None
    start = (scalar.start_mark.line, scalar.start_mark.column)
    quoted = scalar.style in ("'", '"')
    if start[0] == line:
        text = found.line(line)
        if quoted:
            value, _ = _value_text(text, start[1])
            suggestion = f"{text[: start[1]].lstrip()}{quote_text(value)}"
            message = (
                f"YAML syntax error: text follows the quoted text that starts at column {start[1] + 1}, and its "
                f"': ' is read as a key; put the whole value in quotes: {suggestion}"
            )
        else:
            message = (
                f"YAML syntax error: ': ' inside text that is not in quotes makes YAML read another key (the ': ' at "
                f"column {column + 1}); put the text in quotes: {_suggest(text, start[1])}"
            )
        return Explained(line, start[1], message, start[0])
    text = found.line(line)
    before = text[_first(text) : column].strip()
    token = _key_token(found, scalar)
    key = str(token.value) if token is not None else ""
    key_column = int(token.start_mark.column) if token is not None else None
    if key.startswith("-") and key_column is not None:
        return _dash_without_space(found, scalar.start_mark.line, key_column)
    if _KEY_NAME.fullmatch(before):
        where = f" (column {key_column + 1})" if key_column is not None else ""
        owner = f"'{key}'" if key else "the text"
        message = (
            f"YAML syntax error: this line is indented more than {owner} on line {start[0] + 1}, so YAML reads it as "
            f"more of that text, where ': ' is not allowed. If '{before}' is a key of its own, indent it like "
            f"{owner}{where}; if the line is part of the text, put the whole text in quotes"
        )
        return Explained(line, _first(text), message, start[0])
    owner = f"of '{key}' " if key else ""
    message = (
        f"YAML syntax error: ': ' inside text that is not in quotes makes YAML read a key; the text {owner}starts "
        f"on line {start[0] + 1}: put all of it in quotes, or write it as a block ('|' after the key, and the text "
        "on the lines below, indented)"
    )
    return Explained(line, column, message, start[0])


def _missing_colon(found: _Error) -> Explained | None:
    """A line that is neither ``key: value`` nor indented under the text it continues."""
    opened = found.opened
    if "could not find expected ':'" not in found.problem or opened is None:
        return None
    line, column = opened
    text = found.line(line)
    no_space = _KEY_NO_SPACE.fullmatch(text)
    if no_space is not None:
        lead, key, value = no_space.groups()
        message = f"YAML syntax error: a key needs a space after its colon: {lead.lstrip()}{key}: {value}"
        return Explained(line, len(lead) + len(key), message, line)
    ended = _ended_block(found.lines, line, column)
    if ended is not None:
        return ended
    above = _previous(found.lines, line)
    continues = f" further than the key on line {above + 1}" if above is not None else ""
    message = (
        "YAML syntax error: this line is neither 'key: value' nor indented under the text above it. If it "
        f"continues that text, indent it{continues}; if it is a key, write ': ' after its name"
    )
    return Explained(line, column, message, line)


def _ended_block(lines: list[str], line: int, column: int) -> Explained | None:
    """A line of a block text (``key: |``) indented less than the lines before it ends the block."""
    block = _block_above(lines, line)
    if block is None:
        return None
    header, indent = block
    message = (
        f"YAML syntax error: this line is indented less than the text of the block that starts on line "
        f"{header + 1} (column {indent + 1}), so the block ends before it and YAML cannot read this line; "
        "indent it like the block's other lines"
    )
    return Explained(line, column, message, line)


def _previous(lines: list[str], line: int) -> int | None:
    """The nearest line above ``line`` that holds something other than a comment."""
    for number in range(line - 1, -1, -1):
        stripped = lines[number].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _block_above(lines: list[str], line: int) -> tuple[int, int] | None:
    """The block scalar (``key: |``) that the text above ``line`` belongs to, with the indentation
    of its text, if ``line`` is indented less than that text (so it ended the block)."""
    depth = _indent(lines[line])
    for number in range(line - 1, -1, -1):
        text = lines[number]
        if not text.strip():
            continue
        if _BLOCK_HEADER.fullmatch(text):
            content = next((lines[n] for n in range(number + 1, line) if lines[n].strip()), None)
            if content is not None and _indent(content) > depth:
                return number, _indent(content)
            return None
        if _indent(text) <= depth:
            return None
    return None


def _after_quote(found: _Error) -> Explained | None:
    """The parser could not go on right after a quoted text: the quote closed too early."""
    if "while parsing" not in found.context or "quoted" in found.context:
        return None
    scalar = found.last_scalar()
    if scalar is None or scalar.style not in ("'", '"') or scalar.end_mark.line != found.at[0]:
        return None
    if found.tokens and found.tokens[-1] is not scalar:
        return None
    quote = str(scalar.style)
    start = (scalar.start_mark.line, scalar.start_mark.column)
    end = (scalar.end_mark.line, scalar.end_mark.column - 1)  # the closing quote
    if start[0] < end[0]:
        return _quote_runs_on(found, quote, start, end)
    text = found.line(end[0])
    after = text[end[1] + 1 : end[1] + 2]
    value, _ = _value_text(text, start[1])
    if quote == "'" and after.isalnum():
        inner = value[1:-1] if value.endswith("'") and len(value) > 1 else value[1:]
        word = re.findall(r"\w+'$", text[: end[1] + 1])
        shown = f" in {word[0]}{after}" if word else ""
        fix = text[: start[1]].lstrip() + _quoted_with(inner, '"')
        message = (
            f"YAML syntax error: the '{shown} ends the text that starts with ' at column {start[1] + 1}; inside "
            "single quotes write an apostrophe twice (''), or put the text in double quotes: "
            f"{fix}"
        )
        return Explained(end[0], end[1], message, start[0])
    other, name = ("'", "single") if quote == '"' else ('"', "double")
    # "text" with more quotes inside: the outer quotes were meant as the delimiters.
    meant = value[1:-1] if len(value) > 1 and value.endswith(quote) else value
    message = (
        f"YAML syntax error: the {quote} at column {end[1] + 1} ends the quoted text, but more text follows it on "
        f"the line; to keep quote marks in the text, put the whole value in {name} quotes: "
        f"{text[: start[1]].lstrip()}{_quoted_with(meant, other)}"
    )
    return Explained(end[0], end[1], message, start[0])


def _quoted_with(text: str, quote: str) -> str:
    if quote == "'":
        return "'" + text.replace("'", "''") + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_before_block(found: _Error, quote: str, start: tuple[int, int]) -> Explained | None:
    """``body: '|``: the quote turns the block indicator into the start of a quoted text."""
    indicator = found.line(start[0])[start[1] + 1 :].strip()
    if not re.fullmatch(r"[|>][-+0-9]*", indicator):
        return None
    message = (
        f"YAML syntax error: the {quote} before {indicator!r} makes it the start of a quoted text instead of "
        f"a block of text; remove the {quote}"
    )
    return Explained(start[0], start[1], message, start[0])


def _quote_runs_on(found: _Error, quote: str, start: tuple[int, int], end: tuple[int, int]) -> Explained:
    """A quoted text that ends on a later line than it opens: a quote left open (when the lines
    it swallowed look like keys or list items), or a quote mark inside text meant to span lines."""
    swallowed = [*found.lines[start[0] + 1 : end[0]], found.line(end[0])[: end[1]]]
    depth = _first(found.line(start[0]))
    structural = any(
        line.strip() and (_KEY_LINE.match(line) or _ITEM_LINE.match(line)) and _first(line) <= depth + 2
        for line in swallowed
    )
    stray = _quote_before_block(found, quote, start)
    if stray is not None:
        return stray
    if structural:
        fix = found.line(start[0]).rstrip() + quote
        message = (
            f"YAML syntax error: the {quote} that opens the text here is not closed on this line, so YAML reads on "
            f"until the {quote} on line {end[0] + 1} (column {end[1] + 1}) and takes the lines between as part of the "
            f"text; close it on this line: {fix.strip()}"
        )
        return Explained(start[0], start[1], message, start[0])
    doubled = "write an apostrophe twice ('')" if quote == "'" else 'write \\" for a quote mark'
    kind = "single" if quote == "'" else "double"
    message = (
        f"YAML syntax error: this {quote} ends the text that opens with {quote} on line {start[0] + 1}, and more "
        f"text follows it; inside {kind} quotes {doubled}"
    )
    return Explained(end[0], end[1], message, start[0])


def _flow_then_text(found: _Error) -> Explained | None:
    """``[draft] title``: a value that starts with a bracket is a list, and nothing may follow it."""
    if "while parsing" not in found.context or not found.tokens:
        return None
    last = found.tokens[-1]
    if not isinstance(last, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
        return None
    if last.end_mark.line != found.at[0]:
        return None
    kind = yaml.FlowSequenceStartToken if isinstance(last, yaml.FlowSequenceEndToken) else yaml.FlowMappingStartToken
    starts = [t for t in found.tokens if isinstance(t, kind) and t.start_mark.line == last.end_mark.line]
    if not starts:
        return None
    start = starts[0].start_mark
    bracket = "[" if kind is yaml.FlowSequenceStartToken else "{"
    what = "a list ([a, b])" if bracket == "[" else "a mapping ({a: 1})"
    text = found.line(start.line)
    message = (
        f"YAML syntax error: a value that starts with '{bracket}' is read as {what}, and no text may follow its "
        f"closing bracket; if it is text, put it in quotes: {_suggest(text, start.column)}"
    )
    return Explained(start.line, start.column, message, start.line)


def _flow_unclosed(found: _Error) -> Explained | None:
    """A '[' or '{' whose list runs into the next key: the bracket was not closed on its line."""
    opened = found.opened
    if opened is None or "while parsing a flow" not in found.context or found.at[0] == opened[0]:
        return None
    bracket = found.char(opened)
    closer = "]" if bracket == "[" else "}"
    text = found.line(opened[0])
    rest = text[opened[1] :]
    line_at = found.line(found.at[0])
    runs_into_key = found.at[0] >= len(found.lines) or not line_at.strip() or bool(_KEY_LINE.match(line_at))
    if rest.count(bracket) <= rest.count(closer) or not runs_into_key:
        return None
    message = (
        f"YAML syntax error: the '{bracket}' that opens a {'list' if bracket == '[' else 'mapping'} here is not "
        f"closed; close it on this line: {text.rstrip().lstrip()}{closer}"
    )
    return Explained(opened[0], opened[1], message, opened[0])


def _dash_without_space(found: _Error, line: int, column: int) -> Explained:
    """``-title: a``: without a space the dash is part of the key, and the item is no item."""
    text = found.line(line)
    fixed = f"{text[:column].lstrip()}- {text[column + 1 :].rstrip()}"
    message = f"YAML syntax error: a list item needs a space after its '-': {fixed}"
    return Explained(line, column, message, line)


@dataclass(frozen=True)
class _Block:
    kind: str  # "mapping" or "sequence"
    column: int
    line: int


def _open_blocks(found: _Error, line: int) -> list[_Block]:
    """The block mappings and lists still open when line ``line`` starts, outermost first."""
    limit = _index(found.lines, (line, 0))
    stack: list[_Block] = []
    for token in found.tokens:
        if token.start_mark.index >= limit:
            break
        if isinstance(token, yaml.BlockMappingStartToken):
            stack.append(_Block("mapping", token.start_mark.column, token.start_mark.line))
        elif isinstance(token, yaml.BlockSequenceStartToken):
            stack.append(_Block("sequence", token.start_mark.column, token.start_mark.line))
        elif isinstance(token, yaml.BlockEndToken) and stack:
            stack.pop()
    return stack


def _name(text: str) -> str:
    key = text.strip()
    key = key[2:].strip() if key.startswith("- ") else key
    return key.split(":", 1)[0].strip()


def _depth(found: _Error) -> Explained | None:
    """A list item or a key that starts a line at a column where nothing open above it is."""
    if "while parsing a block" not in found.context:
        return None
    line, column = found.at
    text = found.line(line)
    if column != _first(text) or not text.strip():
        return None
    blocks = _open_blocks(found, line)
    if not blocks:
        return None
    item = bool(_ITEM_LINE.match(text))
    if re.match(r"-[^\s-]", text[column:]):
        return _dash_without_space(found, line, column)
    key_like = bool(_KEY_NAME.fullmatch(_name(text)))
    if not item and not key_like and (ended := _ended_block(found.lines, line, column)) is not None:
        return ended
    same = [b for b in blocks if b.column == column]
    if item and same and same[-1].kind == "mapping":
        block = same[-1]
        message = (
            f"YAML syntax error: a list item ('- ') stands where the mapping that starts on line {block.line + 1} "
            f"expects a key (its keys, like '{_name(found.line(block.line))}', start at column {column + 1}); a list "
            "belongs under a key of its own: put it under that key, indented like the list's other items"
        )
        return Explained(line, column, message, line)
    if not item and same and same[-1].kind == "sequence":
        inner = blocks[blocks.index(same[-1]) + 1 :]
        keys = f" (column {inner[0].column + 1})" if inner and inner[0].kind == "mapping" else ""
        message = (
            f"YAML syntax error: '{_name(text)}' stands where the list that starts on line {same[-1].line + 1} "
            f"expects an item ('- '); indent it like the keys of the item above{keys}, or start a new item with '- '"
        )
        return Explained(line, column, message, line)
    if same:
        return None
    kind = "sequence" if item else "mapping"
    candidates = [b for b in blocks if b.kind == kind] or blocks
    nearest = min(reversed(candidates), key=lambda b: abs(b.column - column))
    if re.match(r"-[^\s-]", found.line(nearest.line)[nearest.column :]):
        return _dash_without_space(found, nearest.line, nearest.column)  # '-text:' made that mapping
    if item:
        what = "this list item"
        like = f"the items of its list (from line {nearest.line + 1}) start at column {nearest.column + 1}"
        fix = "line its '-' up with theirs"
    else:
        what = f"'{_name(text)}'" if key_like else "this line"
        sibling = _name(found.line(nearest.line))
        like = f"the keys next to it (like '{sibling}' on line {nearest.line + 1}) start at column {nearest.column + 1}"
        fix = "indent it like the keys it belongs with"
    message = f"YAML syntax error: {what} is indented to column {column + 1}, but {like}; {fix}"
    return Explained(line, column, message, line)


def _indented_start(found: _Error) -> Explained | None:
    """The file's first key is indented, so the keys at column 1 below it cannot join it."""
    if "<document start>" not in found.problem:
        return None
    first = next(
        (n for n, text in enumerate(found.lines) if text.strip() and not text.lstrip().startswith(("#", "%", "---"))),
        None,
    )
    if first is None or first >= found.at[0] or _first(found.lines[first]) == 0:
        return None
    message = (
        f"YAML syntax error: the file's first key, '{_name(found.lines[first])}', is indented by "
        f"{_first(found.lines[first])} space(s), so the keys below it at column {found.at[1] + 1} cannot belong "
        "with it; start the keys at the top of the file at column 1"
    )
    return Explained(first, 0, message, first)


_RULES: tuple[Callable[[_Error], Explained | None], ...] = (
    _indented_start,
    _tab,
    _quote_scanning,
    _reserved_start,
    _colon,
    _missing_colon,
    _after_quote,
    _flow_then_text,
    _flow_unclosed,
    _depth,
)


def merged_items(lines: list[str], start: tuple[int, int], end: tuple[int, int]) -> Iterator[tuple[int, int]]:
    """Lines inside a multi-line plain text (from ``start`` to ``end``, 0-based) that start with
    '- ': a list item written one column too deep, which YAML silently reads as more text."""
    for number in range(start[0] + 1, min(end[0], len(lines) - 1) + 1):
        text = lines[number]
        if _ITEM_LINE.match(text):
            yield number, _first(text)
