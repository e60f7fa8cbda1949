"""Where the generator's files go in a project: names every step agrees on, and nothing else.

Kept apart from the modules that write the files so that a caller can ask "is the last build
still standing?" (:mod:`.stamp`) without importing the catalogue model, Jinja or WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Folders (relative to docs/) the page step owns; nothing else under docs/ is ever written.
OWNED_DIRS = ("traits", "categories", "reference", "paths", "self-assessment", "_generated")
#: The folder (relative to docs/) the handbook step owns: the PDFs and the LMS question banks.
HANDBOOK_DIR = "downloads"
#: The PDFs the handbook step writes there.
HANDBOOK_PDF, WORKSHEET_PDF = "handbook.pdf", "worksheet.pdf"
#: The question banks for learning platforms, by format, as the downloads name them.
LMS_FILES = {"gift": "traitbook-gift.txt", "moodle-xml": "traitbook-moodle.xml", "qti": "traitbook-qti.zip"}
LMS_FORMATS = tuple(LMS_FILES)
#: Under the project root; git-ignored: the model cache and the build stamp.
CACHE_DIR = Path(".cache") / "traitbook"


@dataclass(frozen=True)
class Project:
    """Where things are. Defaults follow the repository layout; tests point it at fixtures."""

    root: Path
    catalogue_dir: Path
    docs_dir: Path
    cache_dir: Path | None = None  # None: no model cache and no build stamp (``--no-cache``)

    @classmethod
    def at(cls, root: Path, catalogue: Path | None = None, docs: Path | None = None, *, cache: bool = True) -> Project:
        root = root.resolve()
        return cls(
            root,
            (catalogue or root / "catalogue").resolve(),
            (docs or root / "docs").resolve(),
            root / CACHE_DIR if cache else None,
        )
