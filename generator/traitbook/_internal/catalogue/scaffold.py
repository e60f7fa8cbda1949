"""``traitbook new <id>``: a trait file with every field, ready to fill in.

The scaffold names its schema (editor completion), shows every field with a short hint, and
keeps optional fields commented out so that the file is valid as soon as the required text
is written. It never overwrites a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .problems import CatalogueError, Problem
from .validate import id_problem

TEMPLATE = """\
# yaml-language-server: $schema=../../schema/trait.schema.json
# A new trait. Fill in the TODOs, uncomment what you need, then run: {check}
id: {id}
title: TODO Title of the trait             # plain text, shown as written
{category_line}
summary: >-                                # one or two sentences; the page description
  TODO What this trait is, in one sentence.
# keywords: [other spelling, synonym]      # search aliases
# objectives:                              # "After this page you can ..."
#   - TODO explain ...
# takeaways:
#   - TODO ...
sections:                                  # the explanation (Markdown, no raw HTML)
  - title: What it means
    body: |
      TODO What the trait means.
  - title: Why it matters
    body: |
      TODO Why it matters in this field.
# behaviours:                              # what a colleague would see you do; learners rate
#                                          # themselves against these on the self-assessment page
#   - TODO ...
# practices:                               # concrete ways to develop it
#   - TODO ...
# pitfalls:                                # how it goes wrong or is faked
#   - TODO ...
# scenario:
#   title: TODO A realistic situation
#   body: |
#     TODO 150-300 words.
# related:                                 # other traits, each with a reason
#   - id: other-trait
#     reason: TODO One sentence on how the two traits interact.
# terms: [glossary-term-id]                # glossary ids from catalogue.yml
# references:
#   - framework: framework-id              # a framework id from catalogue.yml
#     code: TODO
#     label: TODO What the item covers, in your words.
# reading:                                 # further reading, from the sources in catalogue.yml
#   - source: source-id
#     note: TODO One sentence on what the reader gets from it.
exercises:
  - id: first-question
    kind: single                           # single | multiple | reflection | task
    scenario: |
      TODO A concrete situation.
    question: TODO What would you do first?
    options:
      - text: TODO A plausible option
        correct: true
        feedback: TODO Why this is the best choice.
      - text: TODO Another plausible option
        feedback: TODO Why this is not the best choice.
  # - id: reflect
  #   kind: reflection
  #   prompt: TODO A question about the reader's own work.
  #   guidance: |
  #     TODO What a good answer covers.
  #   newcomers: TODO A lab, case study or public report for readers without that experience.
  #   example: TODO A short example of a good answer.
  # - id: write-it
  #   kind: task                             # the reader produces something
  #   prompt: TODO What to write, for whom, how long.
  #   criteria:
  #     - TODO One thing a good answer does.
  #   model_answer: |
  #     TODO One good answer.
"""


#: The column the template's comments start at.
_COMMENT_COLUMN = 43


def category_line(category: str, categories: Sequence[str] | None) -> str:
    """``category: <id>`` with a comment naming the catalogue's other categories, or saying that
    there is no other; ``categories`` is None when catalogue.yml could not be read."""
    if categories is None:
        hint = "one of the categories in catalogue.yml"
    else:
        others = [c for c in categories if c != category]
        hint = f"or: {', '.join(others)}" if others else "the only category in catalogue.yml"
    return f"{f'category: {category}':<{_COMMENT_COLUMN}}# {hint}"


def scaffold_text(
    trait_id: str, category: str, categories: Sequence[str] | None = None, *, check: str = "traitbook check"
) -> str:
    return TEMPLATE.format(id=trait_id, category_line=category_line(category, categories), check=check)


def create_trait(
    traits_dir: Path,
    trait_id: str,
    category: str,
    shown: str,
    categories: Sequence[str] | None = None,
    *,
    check: str = "traitbook check",
) -> Path:
    """Write ``traits_dir/<id>.yml``; refuse a bad id or an existing file (nothing written).
    ``categories``: the ids of catalogue.yml, named in a comment beside the trait's;
    ``check``: the command the file's first comment tells the author to run."""
    where = f"{shown}/{trait_id}.yml"
    problem = id_problem(trait_id)
    if problem is not None:
        raise CatalogueError([Problem(where, 1, 1, "id", problem)])
    target = traits_dir / f"{trait_id}.yml"
    try:
        with target.open("x", encoding="utf-8") as handle:  # "x": fails if the file exists
            handle.write(scaffold_text(trait_id, category, categories, check=check))
    except FileExistsError:
        raise CatalogueError([Problem(where, 1, 1, "", "the file exists already; nothing was changed")]) from None
    return target
