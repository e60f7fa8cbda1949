"""Stage 4: escaping rules and byte-stable output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MINI, ROOT, tree_digest
from traitbook._internal.markup.markdown import md_plain, plain_paragraph_html
from traitbook._internal.site.render import tidy, tidy_lines


@pytest.mark.parametrize(
    "text",
    [
        "Plain words",
        "*not emphasis* and _not_ either",
        "Title {: onclick=alert(1) }",
        "<script>alert(1)</script>",
        "[link](javascript:alert(1))",
        "# not a heading",
        "1. not a list",
        "a | b | c",
        ":smile: ~~x~~ ^^y^^ ==z==",
        "Quotes \" ' and & ampersands &amp;",
        "Line one\nline two",
        "back\\slash `code`",
    ],
)
def test_plain_text_renders_literally_in_markdown(text: str) -> None:
    converter = markdown.Markdown(
        extensions=["attr_list", "tables", "pymdownx.tilde", "pymdownx.caret", "pymdownx.mark"]
    )
    html = converter.convert(md_plain(text))
    assert html.startswith("<p>") and html.endswith("</p>")
    inner = html[3:-4]
    assert "<" not in inner.replace("&lt;", "").replace("&amp;", "")  # no element was created
    expected = " ".join(text.split())
    import html as html_lib

    assert html_lib.unescape(inner) == expected
    assert "onclick=" not in html or "onclick=alert(1)" in html_lib.unescape(inner)


def _generate(docs: Path, env: dict[str, str], catalogue: Path = MINI) -> None:
    subprocess.run(
        [sys.executable, "-m", "generator", "--catalogue", str(catalogue), "--docs", str(docs),
         "generate", "--no-handbook"],
        check=True, cwd=ROOT, env={**os.environ, **env}, capture_output=True,
    )  # fmt: skip


def test_output_is_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    _generate(tmp_path / "a", {"PYTHONHASHSEED": "1"})
    _generate(tmp_path / "b", {"PYTHONHASHSEED": "4242"})
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert len(tree_digest(tmp_path / "a")) > 5


def test_output_does_not_depend_on_file_creation_order(tmp_path: Path) -> None:
    files = sorted(p for p in MINI.rglob("*.yml"))
    for name, order in (("fwd", files), ("rev", list(reversed(files)))):
        for path in order:
            target = tmp_path / name / "cat" / path.relative_to(MINI)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
        _generate(tmp_path / name / "docs", {}, tmp_path / name / "cat")
    assert tree_digest(tmp_path / "fwd" / "docs") == tree_digest(tmp_path / "rev" / "docs")


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n"), min_size=1, max_size=120))
def test_fast_path_for_plain_prose_equals_the_markdown_converter(text: str) -> None:
    fast = plain_paragraph_html(text)
    if fast is not None:
        assert fast == markdown.markdown(text.strip())


@pytest.mark.parametrize(
    "text",
    ["Plain words, with commas (and brackets) - and a dash.", "Two\nlines", 'It\'s "quoted"; 42 %'],
)
def test_fast_path_examples(text: str) -> None:
    fast = plain_paragraph_html(text)
    if fast is not None:
        assert fast == markdown.markdown(text)
    assert plain_paragraph_html("*emphasis*") is None
    assert plain_paragraph_html("- a list") is None
    assert plain_paragraph_html("1. a list") is None
    assert plain_paragraph_html("a\n\nb") is None


# Characters that end lines for str.splitlines, or are whitespace, or neither.
_TIDY_ALPHABET = st.sampled_from(
    ["a", "b", " ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u3000"]
)


@given(st.lists(st.lists(_TIDY_ALPHABET, max_size=12).map("".join), max_size=8))
def test_tidy_lines_piece_by_piece_equals_tidying_the_whole_text(chunks: list[str]) -> None:
    whole = "".join(chunks)
    expected = "\n".join(line.rstrip() for line in whole.strip().splitlines()) + "\n"
    assert tidy(whole) == expected
    assert "".join(tidy_lines(chunks)) == expected
