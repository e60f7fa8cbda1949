"""Stage 1: YAML files → plain data with the source position of every node.

Why not ``yaml.safe_load``: PyYAML resolves scalars with YAML 1.1 rules (``no`` → False,
``1.10`` → 1.1), silently keeps the last of two duplicate keys and expands aliases (the
"billion laughs" bomb). Why not a pure-Python YAML 1.2 loader: it is 5–10× slower.

So we let libyaml *compose* the node graph (fast, C, every node keeps its line and column)
and build the values ourselves: plain scalars resolved with the YAML 1.2 core schema,
duplicate keys, anchors/aliases and explicit tags reported as problems.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import CatalogueError, Problem, format_path
from .syntax import merged_items, split_lines, syntax_problems
from .textpos import value_positions

PathKey = tuple[str | int, ...]

#: Deeper than this is no catalogue a person writes; refuse before Python recursion can fail.
MAX_DEPTH = 40
#: A trait file is a few kilobytes; anything this big is a mistake (a pasted export, a binary),
#: and refusing it up front keeps every run fast.
MAX_FILE_BYTES = 2 * 1024 * 1024

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_TRUE = re.compile(r"(?:true|True|TRUE)\Z")
_FALSE = re.compile(r"(?:false|False|FALSE)\Z")
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


@dataclass
class Document:
    """One loaded YAML file: its data and the 1-based (line, col) of every node by path.

    Positions cost more memory than the data itself (a tuple key per node). Once a file has
    validated, :meth:`release` drops them and the raw data; if a later rule needs a position
    after all, the file is parsed again (``source``), which only happens on the error path.
    """

    file: str
    data: Any
    marks: dict[PathKey, tuple[int, int]] | None = field(default_factory=dict)
    source: Path | None = None
    #: Where a key's scalar value starts (a wrong value is reported there, not at its key).
    value_marks: dict[PathKey, tuple[int, int]] | None = field(default_factory=dict)
    #: The file's text, and its node tree once asked for: to place a problem inside a text value.
    text: str | None = field(default=None, repr=False)
    _root: yaml.Node | None = field(default=None, repr=False, compare=False)

    def release(self) -> None:
        if self.source is not None:
            self.data = None
            self.marks = None
            self.value_marks = None
            self.text = None
            self._root = None

    def _marks(self) -> dict[PathKey, tuple[int, int]]:
        if self.marks is None or self.value_marks is None:
            assert self.source is not None  # noqa: S101 - release() only drops marks with a source
            again = parse_document(self.source.read_bytes(), self.file)
            self.marks, self.value_marks = again.marks or {}, again.value_marks or {}
        return self.marks

    def locate(self, path: PathKey) -> tuple[int, int]:
        """Position of ``path``, or of its nearest ancestor that exists (e.g. for a missing key)."""
        marks = self._marks()
        for end in range(len(path), -1, -1):
            mark = marks.get(path[:end])
            if mark is not None:
                return mark
        return (1, 1)

    def locate_value(self, path: PathKey) -> tuple[int, int]:
        """Position of the scalar value at ``path``; of its key (or nearest ancestor) otherwise."""
        self._marks()
        mark = (self.value_marks or {}).get(path)
        return mark if mark is not None else self.locate(path)

    def locate_in_text(self, path: PathKey, offset: int, value: str) -> tuple[int, int] | None:
        """Where character ``offset`` of the text ``value`` at ``path`` is written, or None when
        that cannot be told reliably (textpos.py: an escape, an explicit indentation)."""
        if self.text is None and self.source is not None:
            self.text = _decode(self.source.read_bytes(), self.file)
        if self.text is None:
            return None
        if self._root is None:
            self._root = yaml.compose(self.text, Loader=_Loader)
        node = _node_at(self._root, path) if self._root is not None else None
        if not isinstance(node, yaml.ScalarNode) or node.value != value:
            return None
        positions = value_positions(self.text, node)
        if positions is None or not 0 <= offset < len(positions):
            return None
        line, column = positions[offset]
        return line + 1, column + 1

    def problem_in_text(self, path: PathKey, message: str, offset: int | None, value: str) -> Problem:
        """A problem found inside the text at ``path``: at the line and column that hold it when
        that is a later line than the value's first (a long block), else where the value starts,
        as every wrong value is reported (the line is the same; reports stay as they were)."""
        line, col = self.locate_value(path)
        inside = self.locate_in_text(path, offset, value) if offset is not None else None
        if inside is not None and inside[0] != line:
            line, col = inside
        return Problem(self.file, line, col, format_path(path), message)

    def problem(self, path: PathKey, message: str, *, at_key: bool = False) -> Problem:
        """A problem at ``path``: where its value is written when that is a scalar (a wrong
        value), else at its key or nearest ancestor (a missing key, a wrong list); with
        ``at_key`` at the key itself (an unknown key)."""
        line, col = self.locate(path) if at_key else self.locate_value(path)
        return Problem(self.file, line, col, format_path(path), message)


def _node_at(root: yaml.Node, path: PathKey) -> yaml.Node | None:
    """The node at ``path`` (the first of duplicate keys, as the builder keeps it)."""
    node: yaml.Node | None = root
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


#: First characters a non-string plain scalar can have; anything else is text (the common case).
_NON_TEXT_START = frozenset("0123456789+-.~nNtTfF")


def resolve_plain(text: str) -> Any:
    """Value of an untagged plain scalar under the YAML 1.2 core schema."""
    if text and text[0] not in _NON_TEXT_START:
        return text
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text


class ReadError(CatalogueError):
    """A file that was read although it has problems (a key that is not text, a private-use
    character): ``document`` holds what it said, so that the rules across files still read it
    and report in the same run what is wrong elsewhere."""

    def __init__(self, problems: list[Problem], document: Document) -> None:
        super().__init__(problems)
        self.document = document


class _Loader(yaml.CSafeLoader):
    """libyaml's composer without PyYAML's (YAML 1.1, pure-Python) implicit resolver.

    The composer asks ``resolve`` for the tag of every untagged node; we resolve plain scalars
    ourselves with YAML 1.2 rules, so the answer only has to say "untagged". A node written
    with a tag is found by its source text instead (:meth:`_Builder.tagged`): libyaml treats
    the non-specific tag ``!`` like no tag at all, so the tag alone cannot tell.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _in_file(text: str, where: tuple[int, int]) -> tuple[int, int]:
    """A position the file has: YAML marks the end of a document after its last line break,
    a line that an editor (or a pull request's annotations) does not show; the last line then."""
    last = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
    return where if where[0] <= last else (last, 1)


_TAG_TEXT = re.compile(r"!<[^>]*>|![^\s,\[\]{}]*")

#: Private-use code points have no agreed meaning: fonts show them as empty boxes, and the
#: handbook uses two of them to mark page numbers in its footer (typeset.PAGE_MARK).
_PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


class _Builder:
    """Turns a composed node tree into plain values, collecting problems instead of raising."""

    def __init__(self, file: str, text: str) -> None:
        self.text = text
        self.marks: dict[PathKey, tuple[int, int]] = {}
        self.value_marks: dict[PathKey, tuple[int, int]] = {}
        self.doc = Document(file, None, self.marks, value_marks=self.value_marks)
        self.problems: list[Problem] = []
        self._seen: set[int] = set()
        self.shared_nodes = False

    def _report(self, node: yaml.Node, path: PathKey, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.doc.file, line, col, format_path(path), message))

    def tagged(self, node: yaml.Node, path: PathKey) -> bool:
        """Report ``node`` if it was written with a tag (``!!str 12``, ``!foo``, ``! x``).

        A node's start mark is its first character, the tag's ``!`` when it has one; no
        untagged value can start with ``!`` (an indicator, never the start of a plain scalar).
        Tags are refused rather than obeyed: ``!!str 12`` would be the only way to make a
        value's type differ from how it reads, and other tags name constructors.
        """
        start = node.start_mark.index
        if not self.text.startswith("!", start):
            return False
        if isinstance(node, yaml.MappingNode) and node.value and node.value[0][0].start_mark.index == start:
            return False  # a block mapping starts where its first key does: the tag is the key's
        tag = _TAG_TEXT.match(self.text, start)
        shown = tag.group() if tag else "!"
        self._report(
            node,
            path,
            f"tag {shown!r} is not allowed (catalogue files use no YAML tags); "
            "remove it, and quote the value if it is text",
        )
        return True

    def build(self, node: yaml.Node, path: PathKey, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            self._report(node, path, f"nesting deeper than {MAX_DEPTH} levels")
            return None
        # libyaml's composer returns the *same* node object for an alias: seeing a node twice
        # means an alias. Stop here, so an alias bomb is never expanded.
        if id(node) in self._seen:
            self.shared_nodes = True
            return None
        self._seen.add(id(node))
        if self.tagged(node, path):
            return None
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.marks[(*path, index)] = _mark(item)
                items.append(self.build(item, (*path, index), depth + 1))
            return items
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover - libyaml has 3 kinds

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> Any:
        # Checked on the parsed value, so that escapes ("\\ue000") are caught as well.
        if private := _PRIVATE_USE.search(node.value):
            code = f"U+{ord(private.group()):04X}"
            self._report(node, path, f"private-use character {code}: it has no agreed meaning")
            return None
        if node.style not in (None, ""):
            return node.value
        if node.end_mark.line > node.start_mark.line:
            self._merged_items(node, path)
        return resolve_plain(node.value)

    def _merged_items(self, node: yaml.ScalarNode, path: PathKey) -> None:
        """A line of a multi-line plain text that starts with '- ' is a list item written too
        deep: YAML reads it as more of the text above, silently ("one - two")."""
        lines = split_lines(self.text)[0]
        start = (node.start_mark.line, node.start_mark.column)
        if re.match(r"-[^\s-]", node.value):
            fixed = f"- {node.value[1:].split()[0]}"
            message = f"a list item needs a space after its '-' ({fixed!r}); without it the line is text"
            self.problems.append(Problem(self.doc.file, start[0] + 1, start[1] + 1, format_path(path), message))
            return
        for number, column in merged_items(lines, start, (node.end_mark.line, node.end_mark.column)):
            shown = node.value if len(node.value) <= 60 else node.value[:57] + "..."
            message = (
                f"this line starts with '- ', but it is indented under the text that starts on line {start[0] + 1}, "
                f"so YAML reads it as more of that text ({shown!r}), not as a list item; line its '-' up with the "
                "other items of the list, or put the text in quotes if the dash belongs to it"
            )
            self.problems.append(Problem(self.doc.file, number + 1, column + 1, format_path(path), message))

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.value == "<<" and key_node.style in (None, ""):
                self._report(key_node, path, "merge keys (<<) are not allowed")
                continue
            if self.tagged(key_node, path):
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._report(key_node, path, "keys must be plain text")
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                self._report(key_node, path, f"key {key_node.value!r} must be text")
                continue
            if key in out:
                self._report(
                    key_node,
                    (*path, key),
                    f"duplicate key {key!r} (first at line {first_line[key]})",
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            self.marks[(*path, key)] = _mark(key_node)
            if isinstance(value_node, yaml.ScalarNode):
                self.value_marks[(*path, key)] = _mark(value_node)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out


def _alias_problems(text: str, file: str) -> Iterator[Problem]:
    """Where anchors and aliases are (only scanned when the composer saw a shared node or
    the text has a ``&``): the composed graph no longer says where an alias was written."""
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            continue
        kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
        mark = event.start_mark
        yield Problem(
            file,
            mark.line + 1 if mark else 1,
            mark.column + 1 if mark else 1,
            "",
            f"{kind} {anchor!r}: anchors and aliases are not allowed; write the value out",
        )


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise CatalogueError(
            [Problem(file, line, col, "", f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
        ) from None


def _unreadable_character(text: str, file: str, error: yaml.reader.ReaderError) -> Problem:
    """A control character YAML refuses, at its line and column (libyaml gives an index)."""
    lines = split_lines(text[: error.position])[0]
    code = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
    message = (
        f"a control character ({code}) that YAML does not allow; delete it (most editors do not show it: "
        "retype the text around this place)"
    )
    return Problem(file, len(lines), len(lines[-1]) + 1, "", message)


def _first_syntax_error(text: str) -> yaml.MarkedYAMLError | None:
    """The first syntax error of ``text`` (None if it composes): to find a file's next mistake."""
    try:
        list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        return exc
    except (yaml.YAMLError, RecursionError):
        return None  # not a syntax error this module explains: the first one has been reported
    return None


def _directive_problems(text: str, file: str) -> list[Problem]:
    """``%YAML 1.1`` would ask for the rules this format refuses; ``%TAG`` introduces tags."""
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not stripped.startswith("%"):
            break
        if re.fullmatch(r"%YAML\s+1\.2", stripped):
            continue
        problems.append(
            Problem(file, number, 1, "", f"directive {stripped!r} is not allowed; catalogue files are YAML 1.2")
        )
    return problems


def _too_big(file: str, size: int) -> Problem:
    shown = f"{size / 1024 / 1024:.1f} MiB"
    return Problem(
        file, 1, 1, "", f"file is {shown}, over the {MAX_FILE_BYTES // 1024 // 1024} MiB limit for one catalogue file"
    )


def parse_document(raw: bytes, file: str) -> Document:
    """Parse one file's bytes; raise :class:`CatalogueError` with every problem in it."""
    if len(raw) > MAX_FILE_BYTES:
        raise CatalogueError([_too_big(file, len(raw))])
    text = _decode(raw, file)
    if text.lstrip().startswith(("%", "#")) and (directives := _directive_problems(text, file)):
        raise CatalogueError(directives)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CatalogueError([Problem(file, line, 1, "", "NUL byte in file; is it a binary file?")])
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        found = syntax_problems(text, exc, _first_syntax_error)
        raise CatalogueError(
            [Problem(file, *_in_file(text, (line, col)), "", why) for line, col, why in found]
        ) from None
    except yaml.reader.ReaderError as exc:
        raise CatalogueError([_unreadable_character(text, file, exc)]) from None
    except yaml.YAMLError as exc:
        raise CatalogueError([Problem(file, 1, 1, "", f"YAML error: {' '.join(str(exc).split())}")]) from None
    except RecursionError:
        raise CatalogueError([Problem(file, 1, 1, "", "nesting too deep")]) from None
    if not nodes or nodes[0] is None:
        raise CatalogueError([Problem(file, 1, 1, "", "file is empty")])
    if len(nodes) > 1:
        raise CatalogueError([Problem(file, *_in_file(text, _mark(nodes[1])), "", "only one YAML document per file")])
    builder = _Builder(file, text)
    builder.doc.text = text
    root = nodes[0]
    if not isinstance(root, yaml.MappingNode):
        where = _in_file(text, _mark(root))
        raise CatalogueError([Problem(file, *where, "", "the file must hold a mapping of keys to values")])
    builder.marks[()] = _mark(root)
    builder.doc.data = builder.build(root, ())
    problems = builder.problems
    if builder.shared_nodes or "&" in text:
        problems += list(_alias_problems(text, file))
    if problems:
        raise ReadError(problems, builder.doc)
    return builder.doc


def read_source(path: Path, file: str, within: Path | None = None) -> bytes:
    """The bytes of one catalogue file; ``file`` is the name used in messages.

    With ``within`` (a resolved folder), a file that is a symbolic link leading out of it is
    refused: a pull request could add one to publish any file the build can read. The message
    names the link, never its target. Only regular files are read (a FIFO or a device would
    block or never end), and their size is checked before a byte is read.
    """
    try:
        if within is not None and not path.resolve().is_relative_to(within):
            raise CatalogueError(
                [
                    Problem(
                        file, 1, 1, "", "is a symbolic link that leads outside the catalogue folder; copy the file in"
                    )
                ]
            )
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise CatalogueError([Problem(file, 1, 1, "", "is not a regular file")])
        if info.st_size > MAX_FILE_BYTES:
            raise CatalogueError([_too_big(file, info.st_size)])
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)  # a file that grew since stat is caught by parse_document
    except OSError as exc:
        raise CatalogueError([Problem(file, 1, 1, "", f"cannot read file: {exc.strerror}")]) from None


def load_document(path: Path, file: str, raw: bytes | None = None, within: Path | None = None) -> Document:
    """Read (unless ``raw`` is given) and parse one file."""
    document = parse_document(read_source(path, file, within) if raw is None else raw, file)
    document.source = path
    return document


def released(path: Path, file: str) -> Document:
    """A document whose data lives elsewhere (a cached model): positions are parsed on demand."""
    return Document(file, None, None, source=path)
