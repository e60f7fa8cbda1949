"""Learning paths, the self-assessment scale, the crosswalk and the relationship drawing: the
catalogue format (errors at their place), the plan and the generated pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.synth import write_catalogue
from traitbook import Project, load_and_validate
from traitbook._internal.plan import Plan, plan
from traitbook._internal.site.graph import MAX_NODES, layout, radar, wrap
from traitbook._internal.site.render import render

CAT = "catalogue/catalogue.yml"

PATHS = """\
self_assessment:
  levels:
    - {label: Aware, descriptor: I know it.}
    - {label: Able, descriptor: I do it.}
    - {label: Expert, descriptor: I teach it.}
paths:
  - id: first-role
    title: First role
    audience: Newcomers.
    description: Start *here*.
    anchors:
      - {framework: fw, code: R1, label: A role profile.}
    steps:
      - {trait: two, target: 2, why: Two comes first.}
      - {trait: one, target: 3, why: Then one.}
"""


def rendered(the_plan: Plan) -> dict[str, str]:
    """The generated pages as text (the answer key, streamed when written, as one string)."""
    return {path: page if isinstance(page, str) else page.text() for path, page in render(the_plan).items()}


def add(project: Path, text: str) -> None:
    path = project / CAT
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(project: Path, needle: str) -> int:
    lines = (project / CAT).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_paths_and_a_custom_scale_are_planned_in_order(project: Path) -> None:
    add(project, PATHS)
    the_plan = plan(load_and_validate(Project.at(project)).catalogue)
    (view,) = the_plan.paths
    assert [(s.trait.id, s.target, s.level.label) for s in view.steps] == [("two", 2, "Able"), ("one", 3, "Expert")]
    pages = rendered(the_plan)
    page = pages["paths/first-role.md"]
    assert page.index("](../traits/two.md)") < page.index("](../traits/one.md)")
    assert "target level 3 of 3, Expert: Then one" in page
    assert "| FW | R1 | A role profile\\. |" in page
    assert "* [First role](first-role.md)" in pages["paths/SUMMARY.md"]
    # The rating form has one radio per level of the catalogue's scale, for every trait.
    form = pages["self-assessment/index.md"]
    assert form.count('name="tb-rate-one"') == 3 and "3 Expert</label>" in form
    assert 'data-targets="two:2 one:3"' in form


def test_without_a_scale_the_four_default_levels_apply(project: Path) -> None:
    catalogue = load_and_validate(Project.at(project)).catalogue
    assert catalogue.site.self_assessment.levels == []
    the_plan = plan(catalogue)
    assert [level.label for level in the_plan.levels] == ["Starting", "Developing", "Practising", "Leading"]
    form = rendered(the_plan)["self-assessment/index.md"]
    assert form.count('name="tb-rate-two"') == 4
    assert "This catalogue defines no paths yet" in rendered(the_plan)["paths/index.md"]


def test_every_path_problem_is_reported_at_its_place_in_one_run(project: Path) -> None:
    more = (
        "      - {trait: one, target: 3, why: Then one.}\n"
        "      - {trait: one, target: 1, why: Again.}\n"
        "  - id: first-role\n    title: Copy\n    audience: A.\n    description: B.\n"
        "    anchors: [{framework: nope, code: X, label: Y.}]\n"
        "    steps: [{trait: one, target: 1, why: W.}]\n"
    )
    add(project, PATHS.replace("trait: two, target: 2", "trait: tow, target: 4"))
    text = (
        (project / CAT).read_text(encoding="utf-8").replace("      - {trait: one, target: 3, why: Then one.}\n", more)
    )
    (project / CAT).write_text(text, encoding="utf-8")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    err = result.err
    step = line_of(project, "trait: tow")
    assert f"{CAT}:{step}:" in err and "paths[0].steps[0].trait: unknown trait 'tow'; did you mean 'two'?" in err
    assert "paths[0].steps[0].target: target 4 is above the top of the self-assessment scale (3, 'Expert')" in err
    assert (
        f"{CAT}:{line_of(project, 'why: Again.')}:" in err and "paths[0].steps[2].trait: trait 'one' is a step" in err
    )
    assert "paths[1].id: duplicate path id 'first-role'" in err
    assert "paths[1].anchors[0].framework: unknown framework 'nope'" in err
    assert "Traceback" not in err and not (project / "docs" / "paths").exists()


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("self_assessment: {levels: [{label: Only, descriptor: One level.}]}\n", "self_assessment.levels"),
        ("paths: [{id: p, title: P, audience: A., description: D., steps: []}]\n", "paths[0].steps"),
        ("paths: [{id: p, title: P, audience: A., description: D., steps: [{trait: one, target: 0, why: W.}]}]\n",
         "paths[0].steps[0].target"),
    ],
)  # fmt: skip
def test_malformed_scales_and_paths_are_refused(project: Path, snippet: str, message: str) -> None:
    add(project, snippet)
    result = run_cli("--root", str(project), "check")
    assert result.code == 2 and f": {message}:" in result.err


def test_lint_flags_a_trait_in_no_path(project: Path) -> None:
    add(project, PATHS + "minimums:\n  traits_in_paths: true\n")
    result = run_cli("--root", str(project), "check")
    assert result.code == 2
    assert "catalogue/traits/three.yml:" in result.err and "trait 'three' is a step of no path" in result.err
    assert "trait 'one'" not in result.err and "trait 'two'" not in result.err


def test_the_real_catalogue_has_paths_for_every_trait() -> None:
    catalogue = load_and_validate(Project.at(ROOT)).catalogue
    assert len(catalogue.site.paths) >= 3
    assert catalogue.site.minimums.traits_in_paths
    assert all(p.anchors for p in catalogue.site.paths)  # each grounded in a framework role


# ---- the crosswalk -----------------------------------------------------------------------


def test_the_crosswalk_lists_every_cited_item_with_every_trait_citing_it() -> None:
    catalogue = load_and_validate(Project.at(ROOT)).catalogue
    the_plan = plan(catalogue)
    page = rendered(the_plan)["reference/crosswalk.md"]
    cited = {(r.framework, r.code) for t in catalogue.traits for r in t.references}
    listed = {(group.framework.id, item.code) for group in the_plan.citations for item in group.items}
    assert listed == cited
    for group in the_plan.citations:
        for item in group.items:
            users = [t.id for t in catalogue.traits if any(r.code == item.code and r.framework == group.framework.id
                                                           for r in t.references)]  # fmt: skip
            assert sorted(t.id for t in item.traits) == sorted(users)
            line = next(li for li in page.splitlines() if li.startswith(f"- **{_md(item.code)}**"))
            assert all(f"(../traits/{u}.md)" in line for u in users)
    assert "this project's own reading" in page  # the mapping note stays visible
    matrix = page[page.index("## All traits and frameworks") :]
    assert all(f"(../traits/{t.id}.md)" in matrix for t in catalogue.traits)


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~])", r"\\\1", text)


# ---- the drawings ------------------------------------------------------------------------


def test_the_graph_is_deterministic_and_joins_each_related_pair_once() -> None:
    catalogue = load_and_validate(Project.at(ROOT)).catalogue
    first, second = layout(plan(catalogue)), layout(plan(catalogue))
    assert first == second and first is not None
    pairs = {frozenset((t.id, r.id)) for t in catalogue.traits for r in t.related}
    assert {frozenset((e.a.trait.id, e.b.trait.id)) for e in first.edges} == pairs
    for edge in first.edges:  # both traits' reasons, when both give one
        a_to_b = [r.reason for r in edge.a.trait.related if r.id == edge.b.trait.id]
        b_to_a = [r.reason for r in edge.b.trait.related if r.id == edge.a.trait.id]
        assert edge.reasons == tuple(a_to_b + b_to_a)
    for node in first.nodes:  # inside the drawing, labels included
        assert 0 <= node.x <= first.width and 0 <= node.y <= first.height
        assert 0 < node.label.y < first.height


def test_the_graph_page_has_a_labelled_link_per_trait_and_a_text_equivalent() -> None:
    catalogue = load_and_validate(Project.at(ROOT)).catalogue
    page = rendered(plan(catalogue))["traits/index.md"]
    for trait in catalogue.traits:
        assert f'xlink:href="{trait.id}/" data-trait="{trait.id}"' in page
        assert "\n        - [" in page  # the connections as a nested list
    graph = layout(plan(catalogue))
    assert graph is not None and page.count("<title") == 1 + len(graph.edges)


def test_large_catalogues_get_no_drawing(tmp_path: Path) -> None:
    catalogue = load_and_validate(Project.at(tmp_path, write_catalogue(tmp_path / "c", MAX_NODES + 1))).catalogue
    the_plan = plan(catalogue)
    assert layout(the_plan) is None and radar(the_plan) is None
    pages = rendered(the_plan)
    assert "<svg" not in pages["traits/index.md"]
    # The profile keeps its table (the chart's words) and the scale's size without a chart.
    form = pages["self-assessment/index.md"]
    assert "<svg" not in form and 'data-levels="4"' in form and form.count("<tr data-trait=") == MAX_NODES + 1


def test_radar_rings_follow_the_scale() -> None:
    the_plan = plan(load_and_validate(Project.at(ROOT)).catalogue)
    frame = radar(the_plan)
    assert frame is not None
    assert len(frame.rings) == len(the_plan.catalogue.site.self_assessment.levels)
    assert [a.trait.id for a in frame.axes] == [t.id for t in the_plan.ordered_traits]


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("Leader", ("Leader",)),
        ("Analytical, inquisitive and insightful", ("Analytical,", "inquisitive and", "insightful")),
    ],
)
def test_labels_wrap_at_spaces(title: str, lines: tuple[str, ...]) -> None:
    assert wrap(title, 16) == lines
