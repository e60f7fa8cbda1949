"""Benchmark: the size of the search index, and what fills it.

Usage: python -m bench.search_index [--sizes 1000]
Builds the real catalogue and synthetic catalogues of N traits (tests/synth.py) with
`mkdocs build`, and reports the size of site/search/search_index.json, per trait and by kind
of page. Sizes do not depend on the machine, so one build each is enough.
Writes bench/RESULTS-search-index.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

from tests.sitebuild import mkdocs_build
from tests.sitebuild import project_with_placeholder_pdfs as project
from tests.synth import write_catalogue

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "RESULTS-search-index.md"


def kind(location: str) -> str:
    page = location.split("#", maxsplit=1)[0]
    if page.startswith("traits/") and page != "traits/":
        return "exercises" if "#ex-" in location else "trait pages, apart from exercises"
    if page == "reference/glossary/":
        return "glossary"
    return "other pages (home, lists, sources, answer key, about)"


def measure(index: Path, traits: int) -> list[str]:
    data = json.loads(index.read_text(encoding="utf-8"))
    size = index.stat().st_size
    parts: Counter[str] = Counter()
    for doc in data["docs"]:
        parts[kind(doc["location"])] += len(json.dumps(doc, ensure_ascii=False).encode())
    parts["settings (separator, fields)"] = len(json.dumps(data["config"]).encode())
    rows = [f"| whole index | {size / 1000:,.1f} KB | {size / traits / 1000:.1f} KB |"]
    rows += [f"| {name} | {b / 1000:,.1f} KB | {b / traits / 1000:.1f} KB |" for name, b in sorted(parts.items())]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000])
    args = parser.parse_args()
    sections = []
    with tempfile.TemporaryDirectory() as tmp:
        builds = [("real catalogue", ROOT / "catalogue")]
        builds += [(f"synthetic N={n}", write_catalogue(Path(tmp) / f"cat{n}" / "catalogue", n)) for n in args.sizes]
        for i, (name, catalogue) in enumerate(builds):
            traits = len(list((catalogue / "traits").glob("*.yml")))
            root = project(Path(tmp) / f"p{i}", catalogue)
            mkdocs_build(root)
            sections += [
                f"## {name} ({traits} traits)",
                "",
                "| part | size | per trait |",
                "|---|---:|---:|",
                *measure(root / "site" / "search" / "search_index.json", traits),
                "",
            ]
    lines = [
        "# Search index: size",
        "",
        f"`python -m bench.search_index --sizes {' '.join(map(str, args.sizes))}`. Sizes in bytes of the JSON "
        "(1 KB = 1,000 bytes), as served before compression. Parts are the index's entries grouped by "
        "page; they add up to a little less than the file (JSON punctuation between entries).",
        "",
        *sections,
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
