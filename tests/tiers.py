"""Test tiers: each test is marked by what it uses, found from its code, not listed by hand.

A test's code is the test function, every fixture it requests (``item.fixturenames`` is already
the transitive closure) and every helper of this ``tests`` package those call, read as names and
constants of their compiled code (nested functions and lambdas included). What they name decides
the markers:

- ``browser``: Chromium through Playwright;
- ``site``: a real site build (``mkdocs``/``properdocs``/``zensical``), directly or through
  ``tests/sitebuild.py``;
- ``engine``: a build by an engine other than MkDocs (ProperDocs, Zensical);
- ``pdf``: WeasyPrint laying out a handbook;
- ``slow``: a child process (the CLI run as a user runs it, ``git``, ``pre-commit``, a package
  build: each costs a Python start-up or more), or seconds of work of another kind.

The fast tier (``make test-fast``) is every test with none of these. A test that escapes the
reading (a heavy call hidden behind something this module cannot see) is caught when it runs in the
fast tier: :func:`guard_fast_tier` makes the heavy entry points fail there with a message naming
the marker the test needs.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
import types
from collections.abc import Callable, Iterable, Iterator

import pytest

#: The markers, with the line ``pytest --markers`` shows.
MARKERS = {
    "browser": "drives Chromium through Playwright",
    "site": "builds a real site (MkDocs, ProperDocs or Zensical)",
    "engine": "builds with an engine other than MkDocs (ProperDocs, Zensical)",
    "pdf": "lays out a handbook with WeasyPrint",
    "slow": "starts a child process (the CLI, git, pre-commit, a package build) or runs for seconds",
}
HEAVY = tuple(MARKERS)

#: The suite cut into tiers that CI runs as parallel jobs (``pytest --tier NAME``): each tier is a
#: predicate on a test's heavy markers, and every set of markers satisfies exactly one of them
#: (tests/test_workflows.py checks all 32), so the tiers together run every test exactly once.
TIERS: dict[str, Callable[[frozenset[str]], bool]] = {
    "fast": lambda m: not m,
    "browser": lambda m: "browser" in m and "engine" not in m,
    "pdf": lambda m: "pdf" in m and not m & {"browser", "engine"},
    "engine": lambda m: "engine" in m,
    "other": lambda m: bool(m) and not m & {"browser", "pdf", "engine"},
}


def heavy_markers(item: pytest.Item) -> frozenset[str]:
    return frozenset(m.name for m in item.iter_markers() if m.name in MARKERS)


def select_tier(items: list[pytest.Item], tier: str) -> tuple[list[pytest.Item], list[pytest.Item]]:
    """(the tests of ``tier``, the others)."""
    wanted = TIERS[tier]
    kept = [i for i in items if wanted(heavy_markers(i))]
    return kept, [i for i in items if not wanted(heavy_markers(i))]


#: Names that mean a marker wherever a test's code uses them (functions, fixtures, modules).
_NAMES: dict[str, frozenset[str]] = {
    "browser": frozenset({"browser", "playwright_instance", "sync_playwright", "open_session", "Session"}),
    "site": frozenset({"make_site", "mkdocs_build", "real_site", "build_site", "ENGINES", "site_build"}),
    "engine": frozenset({"zensical_server", "properdocs", "zensical"}),
    "pdf": frozenset(
        {
            "write_handbook",
            "build_handbook",
            "render_handbook",
            "typesetters",
            "Typeset",
            "InProcess",
            "weasyprint",
            "real_handbook",
            "real_downloads",
            "real_worksheet",
            "mini_handbook",
            "lay_out",
        }
    ),
    "slow": frozenset({"subprocess", "Popen", "wheel", "run_module", "fork_server", "start_fork_server"}),
}
#: String constants that mean a marker (command lines built in a test: ``[..., "mkdocs", "build"]``).
_CONSTANTS: dict[str, frozenset[str]] = {
    "site": frozenset({"mkdocs", "properdocs", "zensical", "serve"}),
    "engine": frozenset({"properdocs", "zensical"}),
    "pdf": frozenset({"weasyprint"}),
}
#: Every name above: a helper so named is a leaf of the reading (``mkdocs_build`` names every
#: engine inside; only the engine a test asks for counts).
_LEAVES = frozenset().union(*_NAMES.values())

#: The command line run in this process (``run_cli``, the ``cli`` fixture, ``main``).
_CLI = frozenset({"run_cli", "cli", "main"})


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _function(obj: object) -> types.FunctionType | None:
    obj = inspect.unwrap(obj) if callable(obj) else obj
    return obj if isinstance(obj, types.FunctionType) else None


def _is_module(name: str) -> bool:
    """``tests.x`` of a local import is a module of the tests package (imported here if the
    run has not imported it yet: running one test file must mark its tests as the suite does)."""
    try:
        return name in sys.modules or importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def used_names(functions: Iterable[Callable[..., object]]) -> tuple[set[str], set[str]]:
    """The names and string constants the code of ``functions`` uses, following every function of
    the ``tests`` package they name (a helper's helpers included)."""
    names: set[str] = set()
    strings: set[str] = set()
    seen: set[types.CodeType] = set()
    todo = [f for f in map(_function, functions) if f is not None]
    while todo:
        function = todo.pop()
        if function.__code__ in seen:
            continue
        seen.add(function.__code__)
        for code in _code_objects(function.__code__):
            names.update(code.co_names, code.co_freevars)
            strings.update(c for c in code.co_consts if isinstance(c, str) and len(c) < 40)
            # ``from tests.x import helper`` inside a function names the module and the helper.
            scopes = [function.__globals__] + [
                vars(importlib.import_module(n)) for n in code.co_names if n.startswith("tests.") and _is_module(n)
            ]
            for name in code.co_names:
                if name in _LEAVES:  # a heavy entry point by name: what it does inside is not the test's
                    continue
                for scope in scopes:
                    target = _function(scope.get(name))
                    if target is not None and target.__module__.startswith("tests.") and target.__module__ != __name__:
                        todo.append(target)
    return names, strings


def markers_for(names: set[str], strings: set[str]) -> set[str]:
    found = {m for m, words in _NAMES.items() if words & names}
    found |= {m for m, words in _CONSTANTS.items() if words & strings}
    # The commands that lay out the handbook: ``handbook``, and ``generate``, ``build`` and
    # ``serve`` unless told not to.
    site_commands = strings & {"build", "generate", "serve"}
    if names & _CLI and ("handbook" in strings or (site_commands and "--no-handbook" not in strings)):
        found.add("pdf")
    # ``build`` and ``serve`` run the engine in a child process after generating.
    if names & _CLI and site_commands - {"generate"}:
        found |= {"site", "slow"}
    if "engine" in found or "browser" in found:
        found.add("site")  # every engine test and every browser test reads a built site
    return found


def _item_functions(item: pytest.Item) -> list[Callable[..., object]]:
    functions: list[Callable[..., object]] = []
    if isinstance(item, pytest.Function):
        functions.append(item.obj)
        info = item._fixtureinfo
        for name, defs in info.name2fixturedefs.items():
            if name != "_fast_tier_guard":  # names every heavy call, to refuse them
                functions += [d.func for d in defs]
    return functions


def _parameters(item: pytest.Item) -> set[str]:
    """The test's string parameters: a command, a module name, or a fixture it asks for by name."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return set()
    return {v for v in callspec.params.values() if isinstance(v, str)}


def _fixtures_named(item: pytest.Item, names: set[str]) -> tuple[list[Callable[..., object]], set[str]]:
    """Fixtures a test requests at run time (``request.getfixturevalue(name)``) by a parameter,
    with the fixtures those request: their functions and their names."""
    manager = item.session._fixturemanager
    functions: list[Callable[..., object]] = []
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for definition in manager.getfixturedefs(name, item) or ():
            functions.append(definition.func)
            todo += definition.argnames
    return functions, seen


def classify(item: pytest.Item) -> set[str]:
    parameters = _parameters(item)
    requested, fixtures = _fixtures_named(item, parameters)
    names, strings = used_names(_item_functions(item) + requested)
    return markers_for(names | set(getattr(item, "fixturenames", ())) | fixtures, strings | parameters)


#: How long a test of each marker tends to take, for ordering only (no timing is asserted).
_WEIGHT = {"engine": 5, "browser": 4, "pdf": 4, "site": 3, "slow": 2}


def apply_markers(items: list[pytest.Item]) -> None:
    """Mark every test, then put the modules with the heaviest tests first (a stable sort, so
    the order inside a module stays): pytest-xdist hands modules out in this order, and the
    quick ones left at the end even out the workers' finishing times."""
    weight: dict[str, int] = {}
    for item in items:
        found = classify(item)
        for marker in sorted(found):
            item.add_marker(getattr(pytest.mark, marker))
        module = item.nodeid.split("::", 1)[0]
        weight[module] = max(weight.get(module, 0), *(_WEIGHT[m] for m in found), 0)
    items.sort(key=lambda item: -weight[item.nodeid.split("::", 1)[0]])


class NeedsMarker(Exception):
    """A test of the fast tier reached something heavy: it needs the marker this names."""


def _refuse(marker: str, what: str) -> Callable[..., object]:
    def refuse(*args: object, **kwargs: object) -> object:
        raise NeedsMarker(
            f"this test {what}, so it needs the {marker!r} marker: tests/tiers.py finds "
            "markers from the names a test's code uses; name it there"
        )

    return refuse


def guard_fast_tier(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the heavy entry points fail, for a run of the fast tier only."""
    import subprocess

    import tests.browser
    import tests.sitebuild
    import traitbook._internal.handbook.pdf
    import traitbook._internal.pipeline

    for module in (tests.sitebuild,):
        monkeypatch.setattr(module, "mkdocs_build", _refuse("site", "builds a site"))
    monkeypatch.setattr(tests.browser, "sync_playwright", _refuse("browser", "starts Chromium"))
    for module in (traitbook._internal.pipeline, traitbook._internal.handbook.pdf):
        monkeypatch.setattr(module, "render_handbook", _refuse("pdf", "lays out a handbook"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("slow", "starts a child process"))
