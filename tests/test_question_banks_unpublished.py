"""`publish_question_banks: false`: the GIFT, Moodle XML and QTI files, answers included, stay out
of the site (no link on the home page, no file in the downloads, ones published before are
removed), while `traitbook export` still writes them for a teacher."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from traitbook._internal.infra.layout import LMS_FILES


def _unpublish(project: Path) -> None:
    catalogue = project / "catalogue" / "catalogue.yml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "publish_question_banks: false\n", encoding="utf-8")


def _home_list(project: Path) -> str:
    return (project / "docs" / "_generated" / "trait-list.md").read_text(encoding="utf-8")


def test_the_home_page_links_the_banks_unless_they_are_unpublished(project: Path) -> None:
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    assert all(f"downloads/{name}" in _home_list(project) for name in LMS_FILES.values())
    _unpublish(project)
    assert run_cli("--root", str(project), "generate", "--no-handbook").code == 0
    text = _home_list(project)
    assert not any(name in text for name in LMS_FILES.values()) and "use-in-your-lms" not in text
    assert "downloads/handbook.pdf" in text  # the PDFs stay


def test_unpublished_banks_leave_the_downloads_and_export_still_writes_them(project: Path, tmp_path: Path) -> None:
    downloads = project / "docs" / "downloads"
    assert run_cli("--root", str(project), "handbook").code == 0
    assert {p.name for p in downloads.iterdir()} >= set(LMS_FILES.values())
    _unpublish(project)
    assert run_cli("--root", str(project), "handbook").code == 0
    left = {p.name for p in downloads.iterdir() if not p.name.startswith(".")}
    assert left == {"handbook.pdf", "worksheet.pdf"}
    target = tmp_path / "bank.xml"
    assert run_cli("--root", str(project), "export", "--format", "moodle-xml", "--output", str(target)).code == 0
    assert b"<quiz>" in target.read_bytes()
