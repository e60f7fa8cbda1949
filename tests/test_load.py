"""Stage 1: YAML → data with positions, strict about what YAML 1.1 loaders let slip."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from traitbook._internal.catalogue.load import load_document, parse_document, resolve_plain
from traitbook._internal.catalogue.problems import CatalogueError


def problems_of(text: str | bytes) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(CatalogueError) as info:
        parse_document(raw, "f.yml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes", "yes"), ("no", "no"), ("on", "on"), ("off", "off"), ("y", "y"),
        ("true", True), ("False", False), ("null", None), ("~", None), ("", None),
        ("12", 12), ("0o17", 15), ("0x1f", 31), ("1.10", 1.1), ("-2.5e3", -2500.0),
        ("2026-11-28", "2026-11-28"), ("NaN", "NaN"), ("1_000", "1_000"), ("012", 12),
    ],
)  # fmt: skip
def test_plain_scalars_follow_yaml_1_2_core_schema(text: str, value: object) -> None:
    assert resolve_plain(text) == value
    assert type(resolve_plain(text)) is type(value)


def test_dot_nan_is_a_float_nan() -> None:
    assert math.isnan(resolve_plain(".nan"))


def test_positions_are_one_based_for_keys_and_items() -> None:
    doc = parse_document(b"a: 1\nlist:\n  - x\n  - k: v\n", "f.yml")
    assert doc.data == {"a": 1, "list": ["x", {"k": "v"}]}
    assert doc.marks is not None
    assert doc.marks[("a",)] == (1, 1)
    assert doc.marks[("list", 1)] == (4, 5)
    assert doc.marks[("list", 1, "k")] == (4, 5)
    assert doc.locate(("list", 1, "missing")) == (4, 5)


def test_quoted_scalars_stay_text() -> None:
    assert parse_document(b"a: '12'\nb: \"true\"\n", "f.yml").data == {"a": "12", "b": "true"}


def test_duplicate_key_names_both_lines() -> None:
    assert problems_of("title: a\nother: b\ntitle: c\n") == [
        "f.yml:3:1: title: duplicate key 'title' (first at line 1)"
    ]


def test_anchor_and_alias_are_reported_where_written() -> None:
    found = problems_of("a: &x [1, 2]\nb: *x\n")
    assert "f.yml:1:4: (document): anchor 'x': anchors and aliases are not allowed; write the value out" in found
    assert any(p.startswith("f.yml:2:4:") and "alias 'x'" in p for p in found)


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 12)]
    found = problems_of("\n".join(lines) + "\n")
    assert any("aliases are not allowed" in p for p in found)


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!foo bar", "!foo"),
        ("!!python/object:os.system x", "!!python/object:os.system"),
        ("!!set {a: null}", "!!set"),
        ("!!binary aGk=", "!!binary"),
        # Standard tags too: each would make a value's type differ from how it reads.
        ("!!str 12", "!!str"),
        ("!!null x", "!!null"),
        ("!!int '7'", "!!int"),
        ("!!bool yes", "!!bool"),
        ('!!str "quoted"', "!!str"),
        ("! 12", "!"),  # the non-specific tag, which libyaml does not distinguish from no tag
        ("!<tag:yaml.org,2002:str> x", "!<tag:yaml.org,2002:str>"),
        ("!!seq [1]", "!!seq"),
        ("!!map {b: 1}", "!!map"),
        ("! [1]", "!"),
    ],
)
def test_every_explicit_tag_is_refused_where_written(value: str, tag: str) -> None:
    found = problems_of(f"a: {value}\n")
    assert found == [
        f"f.yml:1:4: a: tag {tag!r} is not allowed (catalogue files use no YAML tags); "
        "remove it, and quote the value if it is text"
    ]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("é: ééé\nb: !!str 12\n", "f.yml:2:4: b:"),  # positions count characters, not bytes
        ("!!str a: b\n", "f.yml:1:1:"),  # a tagged key
        ("a:\n  !!str b: c\n", "f.yml:2:3:"),
        ("a: !!map\n  b: c\n", "f.yml:1:4: a:"),  # a tagged block mapping
        ("a:\n  !!seq\n  - 1\n", "f.yml:2:3: a:"),
        ("a: [x, !!int 1]\n", "f.yml:1:8: a[1]:"),
    ],
)
def test_tags_on_keys_collections_and_after_non_ascii_text_are_found(text: str, where: str) -> None:
    found = problems_of(text)
    assert len(found) == 1 and found[0].startswith(where) and "use no YAML tags" in found[0]


def test_values_that_start_with_an_exclamation_mark_are_not_tags() -> None:
    doc = parse_document(b"a: '!x'\nb: \"!y\"\nc: |\n  !z\nd: x!\n", "f.yml")
    assert doc.data == {"a": "!x", "b": "!y", "c": "!z\n", "d": "x!"}


def test_merge_key_is_refused() -> None:
    assert any("merge keys" in p for p in problems_of("a: {x: 1}\nb:\n  <<: {y: 2}\n"))


def test_tab_indentation_is_a_syntax_error_with_a_hint() -> None:
    (found,) = problems_of("a:\n\tb: 1\n")
    assert found.startswith("f.yml:2:1: (document): YAML syntax error")
    assert "tabs" in found


def test_invalid_utf8_points_at_the_byte() -> None:
    (found,) = problems_of(b"a: ok\nb: caf\xe9\n")
    assert found.startswith("f.yml:2:7:") and "invalid UTF-8" in found


def test_nul_byte_and_empty_and_non_mapping() -> None:
    assert "NUL byte" in problems_of(b"a: b\x00c\n")[0]
    assert "file is empty" in problems_of("# only a comment\n")[0]
    assert "must hold a mapping" in problems_of("- a\n- b\n")[0]
    assert "only one YAML document" in problems_of("a: 1\n---\nb: 2\n")[0]


def test_every_private_use_character_is_reported_where_it_is() -> None:
    # Written as is, or as a YAML escape that only becomes the character when parsed.
    problems = problems_of('a: x\ue000\nb:\n  - \U000f0001y\nc: "\\ue001"\n')
    assert problems == [
        "f.yml:1:4: a: private-use character U+E000: it has no agreed meaning",
        "f.yml:3:5: b[0]: private-use character U+F0001: it has no agreed meaning",
        "f.yml:4:4: c: private-use character U+E001: it has no agreed meaning",
    ]


def test_deep_nesting_is_a_clean_error() -> None:
    assert any("nesting" in p for p in problems_of("a: " + "[" * 60 + "]" * 60 + "\n"))


def test_utf8_bom_is_accepted() -> None:
    assert parse_document("\ufeffa: b\n".encode(), "f.yml").data == {"a": "b"}


def test_released_document_re_reads_positions_on_demand(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(b"a: 1\nlist:\n  - x\n  - k: v\n")
    doc = load_document(path, "f.yml")
    doc.release()
    assert doc.data is None and doc.marks is None
    assert doc.locate(("list", 1, "k")) == (4, 5)


@pytest.mark.parametrize(
    "text",
    ["---\n", "--- \n--- \n", "a: 1\n---\n", "just text\n", "- a\n- b\n", "a: [1, 2\n", "a: 'open\n", "a: {b: 1\n\n\n",
     "a: 1\n  b: 2\n", "---\n...\n"],
)  # fmt: skip
def test_every_problem_is_on_a_line_the_file_has(text: str) -> None:
    """An annotation on a line past the end of a file is shown nowhere."""
    with pytest.raises(CatalogueError) as caught:
        parse_document(text.encode(), "t.yml")
    lines = len(text.splitlines())
    for problem in caught.value.problems:
        assert 1 <= problem.line <= lines, (problem, lines)
