"""Property-based tests: random valid catalogues always build; random damage to a valid
catalogue always gives either a build or clean problems, never an exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import MINI
from traitbook._internal.catalogue.problems import CatalogueError, Problem
from traitbook._internal.catalogue.safety import markdown_problems
from traitbook._internal.infra.layout import Project
from traitbook._internal.markup.markdown import md_plain
from traitbook._internal.pipeline import generate

# Any printable text, including quotes, colons, hashes, "yes", Markdown and HTML look-alikes.
# Private-use characters (Co) are refused by the loader (test_load.py); surrogates and
# control characters cannot be written as YAML text.
plain = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co")), min_size=1, max_size=40).filter(
    lambda s: s.strip() != ""
)
markdown = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co")), min_size=1, max_size=80).filter(
    lambda s: s.strip() != "" and not markdown_problems(s)
)
slug = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,6}){0,2}", fullmatch=True).filter(
    lambda s: (
        s not in {"con", "prn", "aux", "nul", "index", "search", "assets", "site", "docs", "img"}
        and not s.startswith(("com", "lpt"))
    )
)


@st.composite
def option(draw: st.DrawFn, correct: bool) -> dict[str, Any]:
    return {"text": draw(plain), "correct": correct, "feedback": draw(markdown)}


@st.composite
def trait(draw: st.DrawFn, tid: str, others: list[str]) -> dict[str, Any]:
    n = draw(st.integers(2, 4))
    right = draw(st.integers(0, n - 1))
    options = [draw(option(i == right)) for i in range(n)]
    texts = {" ".join(o["text"].split()).casefold() for o in options}
    if len(texts) < n:  # duplicates are a (tested) error; keep this strategy valid
        for i, o in enumerate(options):
            o["text"] = f"{i} {o['text']}"
    related = draw(st.lists(st.sampled_from(others), unique=True, max_size=2)) if others else []
    return {
        "id": tid,
        "title": draw(plain),
        "category": "c",
        "summary": draw(plain),
        "keywords": draw(st.lists(plain, max_size=2)),
        "sections": [{"title": draw(plain), "body": draw(markdown)}],
        "related": [{"id": r, "reason": draw(plain)} for r in related],
        "exercises": [
            {"id": "q", "kind": "single", "question": draw(plain), "options": options},
            {"id": "r", "kind": "reflection", "prompt": draw(markdown), "guidance": draw(markdown)},
        ],
    }


@st.composite
def catalogue(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    ids = draw(st.lists(slug, min_size=1, max_size=4, unique=True))
    site = {"title": draw(plain), "description": draw(plain), "categories": [{"id": "c", "title": draw(plain)}]}
    files = {"catalogue.yml": site}
    for tid in ids:
        files[f"traits/{tid}.yml"] = draw(trait(tid, [o for o in ids if o != tid]))
    return files


class _QuotingDumper(yaml.SafeDumper):
    """PyYAML writes YAML 1.1: it leaves "0E0" or "1_000" unquoted, which YAML 1.2 (and our
    loader) reads as numbers. Quoting every string keeps the generated files unambiguous."""


_QuotingDumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
)


def write(folder: Path, files: dict[str, Any]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.dump(data, Dumper=_QuotingDumper, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")


@given(catalogue())
def test_random_valid_catalogues_always_build(files: dict[str, dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "catalogue"
        write(folder, files)
        loaded, _, pages = generate(Project.at(Path(tmp), catalogue=folder))
        for rel, data in files.items():
            if rel.startswith("traits/"):
                page = pages[f"traits/{data['id']}.md"]
                assert isinstance(page, str)  # trait pages are plain text; only the answer key streams
                assert f"# {md_plain(data['title'])}\n" in page
                assert loaded.catalogue.trait(data["id"]).title == data["title"]  # read back unchanged


MUTATIONS = st.sampled_from(["delete-line", "duplicate-line", "insert", "replace", "truncate", "swap-indent"])


@given(
    st.sampled_from(sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.yml"))),
    MUTATIONS,
    st.integers(0, 10_000),
    st.binary(min_size=1, max_size=8),
)
def test_damaged_catalogues_build_or_report_problems_cleanly(rel: str, mutation: str, where: int, junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "catalogue"
        shutil.copytree(MINI, folder)
        path = folder / rel
        raw = path.read_bytes()
        lines = raw.splitlines(keepends=True)
        i = where % max(1, len(lines))
        if mutation == "delete-line":
            del lines[i]
        elif mutation == "duplicate-line":
            lines.insert(i, lines[i])
        elif mutation == "swap-indent":
            lines[i] = lines[i].lstrip()
        raw = b"".join(lines)
        pos = where % max(1, len(raw))
        if mutation == "insert":
            raw = raw[:pos] + junk + raw[pos:]
        elif mutation == "replace":
            raw = raw[:pos] + junk + raw[pos + len(junk) :]
        elif mutation == "truncate":
            raw = raw[:pos]
        path.write_bytes(raw)
        try:
            generate(Project.at(Path(tmp), catalogue=folder))
        except CatalogueError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert isinstance(problem, Problem) and problem.line >= 1 and problem.col >= 1
                assert str(problem).startswith(problem.file + ":")
