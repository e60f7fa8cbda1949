"""The line of a new project's ``requirements.txt`` that installs the Traitbook that wrote it.

The theme files ``init`` copies belong to one Traitbook version, and the project's workflows
install from this file on a fresh machine, so the line must name something pip can install
there, never a placeholder. Where this Traitbook came from decides it (PEP 610's
``direct_url.json``, which pip writes for everything not installed from an index):

- **from a package index** (no ``direct_url.json``): that version line, ``traitbook>=X.Y.Z,<X.(Y+1)``;
- **from a Git repository** (``pipx install git+https://…@v0.2.0``): the same repository and
  revision, so a fork's users pin the fork;
- **from an archive at an https address** (a release asset): that address;
- **otherwise** (a wheel or folder on this machine, an editable checkout, the source tree):
  the repository of the package's metadata (``[project.urls] Repository``) at the tag the
  release workflow makes for this version, ``v{version}``.

``init --requirement`` replaces the line when none of these fits (a private index, a mirror).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..errors import TraitbookError

DISTRIBUTION = "traitbook"
#: The source tree's pyproject.toml, when Traitbook runs from a checkout that was never installed.
PYPROJECT = Path(__file__).resolve().parents[4] / "pyproject.toml"


@dataclass(frozen=True)
class Origin:
    """What is known of the running Traitbook's provenance."""

    version: str
    repository: str | None
    #: PEP 610's record, when pip wrote one.
    direct_url: dict[str, object] | None


def release_tag(version: str) -> str:
    """The Git tag of a release, as .github/workflows/release.yml is triggered by it."""
    return f"v{version}"


def requirement_line(origin: Origin) -> str:
    direct = origin.direct_url
    if direct is None:
        major, minor = (int(part) for part in re.findall(r"\d+", origin.version)[:2])
        return f"{DISTRIBUTION}>={origin.version},<{major}.{minor + 1}"
    url = str(direct.get("url", ""))
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and url.startswith("https://"):
        revision = vcs.get("requested_revision") or vcs.get("commit_id")
        return f"{DISTRIBUTION} @ git+{url}@{revision}"
    if "archive_info" in direct and url.startswith("https://"):
        return f"{DISTRIBUTION} @ {url}"
    if origin.repository is None:
        raise TraitbookError(
            "cannot tell where this Traitbook can be installed from (no index, no repository in its "
            "metadata); give the requirement yourself: init --requirement 'traitbook @ …'"
        )
    return f"{DISTRIBUTION} @ git+{origin.repository.removesuffix('/')}@{release_tag(origin.version)}"


#: The ``[project.urls]`` labels that name the source repository.
REPOSITORY_LABELS = frozenset({"repository", "source", "source code"})


def _repository(urls: list[tuple[str, str]]) -> str | None:
    return next((url.strip() for label, url in urls if label.strip().lower() in REPOSITORY_LABELS), None)


def running_origin() -> Origin:
    """The installed distribution's metadata; else the source tree's pyproject.toml."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return _source_origin()
    raw = dist.read_text("direct_url.json")
    direct = json.loads(raw) if raw else None
    # Project-URL metadata entries read "Label, https://…".
    entries = (entry.partition(",") for entry in dist.metadata.get_all("Project-URL") or [])
    return Origin(dist.version, _repository([(label, url) for label, _, url in entries]), direct)


def _source_origin() -> Origin:
    try:
        project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    except (OSError, tomllib.TOMLDecodeError, KeyError):  # a copy of the source alone: nothing to pin
        return Origin("", None, {"url": "", "dir_info": {}})
    repository = _repository(list(project.get("urls", {}).items()))
    return Origin(project["version"], repository, {"url": PYPROJECT.parent.as_uri(), "dir_info": {}})
