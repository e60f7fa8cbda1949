"""How long one hostile Markdown field can take: the checks, and for what they accept, the
site's Markdown and the generator's converter. The limits in catalogue/safety.py are set so
that no field of at most the 2 MiB file limit takes more than about a second.

    .venv/bin/python -m bench.hostile_markdown            # prints a table, worst first
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import markdown

from traitbook._internal.catalogue.safety import MAX_BRACKETS, MAX_MARKDOWN_CHARS, MAX_NESTING, markdown_problems
from traitbook._internal.markup.markdown import md_block
from traitbook._internal.site.render import make_renderer

SITE_EXTENSIONS = ["admonition", "attr_list", "sane_lists", "tables", "toc", "pymdownx.details", "pymdownx.superfences"]
UNITS = ["[", "![", "[(", "[a](", "[a][", "![a](b ", "`", "``a", "```\n", "<", "< a", "&", "*a", "_a", "{", "- ", "> "]


def cases() -> dict[str, str]:
    """Each unit repeated to the field limit, and the same within the '[' and nesting limits."""
    out: dict[str, str] = {}
    for unit in UNITS:
        out[f"{unit!r} x {MAX_MARKDOWN_CHARS}"] = (unit * MAX_MARKDOWN_CHARS)[:MAX_MARKDOWN_CHARS]
        filler = "word " * (MAX_MARKDOWN_CHARS // 5)
        if "[" in unit:
            head = unit * (MAX_BRACKETS // unit.count("["))
            out[f"{unit!r} at the '[' limit, then text"] = (head + filler)[:MAX_MARKDOWN_CHARS]
            out[f"text, then {unit!r} at the '[' limit"] = filler[: MAX_MARKDOWN_CHARS - len(head)] + head
    out["nesting at the limit, repeated"] = (("- " * MAX_NESTING + "x\n") * 1000)[:MAX_MARKDOWN_CHARS]
    out["2 MiB of '['"] = "[" * (2 * 1024 * 1024)
    return out


def timed(fn: Callable[[], object], runs: int = 3) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    renderer = make_renderer()
    rows = []
    for name, text in cases().items():
        check = timed(lambda text=text: markdown_problems(text))
        accepted = not markdown_problems(text)
        page = lambda text=text: markdown.markdown(md_block(text), extensions=SITE_EXTENSIONS)  # noqa: E731
        site = timed(page) if accepted else 0.0
        exercise = timed(lambda text=text: renderer.markdown_html(text)) if accepted else 0.0
        rows.append((check + max(site, exercise), name, accepted, check, site, exercise))
    print(f"{'case':45} {'accepted':>8} {'check s':>8} {'site s':>8} {'exercise s':>10}")
    for _, name, accepted, check, site, exercise in sorted(rows, reverse=True):
        print(f"{name[:45]:45} {accepted!s:>8} {check:8.3f} {site:8.3f} {exercise:10.3f}")


if __name__ == "__main__":
    main()
