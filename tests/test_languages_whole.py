"""A course in another language is not half English: `init --language` writes mkdocs.yml's
navigation titles and theme switches in that language, and both `init` and `messages` list what
the author must still translate (English titles left in mkdocs.yml, the example pages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import run_cli
from tests.htmlscan import page_text
from traitbook._internal.i18n import messages
from traitbook._internal.scaffold import project_files

NAV_KEYS = ("project.nav_home", "project.nav_how_to_use", "project.nav_paths", "project.nav_about")


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with ``!ENV [NAME, default]`` read as the list."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.SequenceNode)
    return loader.construct_sequence(node)


_Loader.add_constructor("!ENV", _env)


def _mkdocs(files: dict[str, bytes]) -> Any:
    return yaml.load(files["mkdocs.yml"], Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def _titles(nav: list[Any]) -> list[str]:
    return [next(iter(entry)) if isinstance(entry, dict) else entry for entry in nav]


def test_a_german_project_has_german_navigation_and_switches_and_the_same_structure() -> None:
    english, german = project_files(language="en"), project_files(language="de")
    words = messages("de")
    en_config, de_config = _mkdocs(english), _mkdocs(german)
    titles = _titles(de_config["nav"])
    for key in (*NAV_KEYS, "project.nav_traits", "project.nav_self_assessment", "project.nav_reference"):
        assert words(key) in titles, key
    assert "Eigenschaften" in titles and "Home" not in titles
    switches = [p["toggle"]["name"] for p in de_config["theme"]["palette"]]
    assert switches == [words("project.dark_mode"), words("project.light_mode")]
    # Only the words change: the same pages in the same places, the same settings otherwise.
    assert [list(e.values()) if isinstance(e, dict) else e for e in de_config["nav"]] == [
        list(e.values()) if isinstance(e, dict) else e for e in en_config["nav"]
    ]
    for key in ("plugins", "markdown_extensions", "validation", "exclude_docs"):
        assert (key == "plugins") or de_config[key] == en_config[key], key
    assert b"language: de " in german["catalogue/catalogue.yml"]


def test_init_in_german_lists_the_english_example_pages(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "kurs"), "--language", "de")
    assert result.code == 0, result.err
    listed = [line.strip().split(":")[0] for line in result.err.splitlines()[1:]]
    assert listed == ["docs/about.md", "docs/how-to-use.md", "docs/index.md"]
    english = run_cli("init", str(tmp_path / "course"))
    assert english.code == 0 and "still in English" not in english.err


def test_messages_lists_english_titles_with_their_translation_and_untranslated_pages(tmp_path: Path) -> None:
    root = tmp_path / "course"
    assert run_cli("init", str(root)).code == 0
    catalogue = root / "catalogue" / "catalogue.yml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("language: en ", "language: de "), encoding="utf-8"
    )
    result = run_cli("--root", str(root), "messages")
    assert result.code == 0, result.err
    assert "'Home' is English (in de: 'Startseite')" in result.err
    assert "'Switch to dark mode' is English (in de: 'Zum dunklen Farbschema wechseln')" in result.err
    line = next(n for n, text in enumerate((root / "mkdocs.yml").read_text().splitlines(), 1) if "- Home:" in text)
    assert f"mkdocs.yml:{line}: 'Home' is English" in result.err
    assert "docs/about.md: still has the English text" in result.err
    # A translated page is no longer listed; nor is a title once it is translated.
    (root / "docs" / "about.md").write_text(
        "# Über den Kurs\n\nGeschrieben von uns für Pflegekräfte.\n", encoding="utf-8"
    )
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("- Home:", "- Startseite:"), encoding="utf-8")
    again = run_cli("--root", str(root), "messages")
    assert "docs/about.md" not in again.err and "'Home'" not in again.err
    assert "docs/index.md" in again.err


def test_a_language_without_a_message_file_keeps_english_titles_and_says_so(tmp_path: Path) -> None:
    result = run_cli("init", str(tmp_path / "cours"), "--language", "fr")
    assert result.code == 0, result.err
    assert "- Home: index.md" in (tmp_path / "cours" / "mkdocs.yml").read_text(encoding="utf-8")
    listed = run_cli("--root", str(tmp_path / "cours"), "messages")
    assert "'Home' is English\n" in listed.err  # no translation to offer
    assert "messages:" in listed.out  # and the strings to translate for catalogue.yml


@pytest.mark.parametrize("bad", ["", "deutsch!", "x" * 40])
def test_init_refuses_a_language_that_is_not_a_language_tag(tmp_path: Path, bad: str) -> None:
    result = run_cli("init", str(tmp_path / "kurs"), "--language", bad)
    assert result.code == 1 and "--language" in result.err
    assert not (tmp_path / "kurs").exists()


def test_a_german_project_builds_strictly_with_german_navigation(tmp_path: Path) -> None:
    root = tmp_path / "kurs"
    assert run_cli("init", str(root), "--language", "de").code == 0
    built = run_cli("--root", str(root), "build", "--no-handbook")
    assert built.code == 0, built.err
    home = page_text((root / "site" / "index.html").read_text(encoding="utf-8")).words()
    for key in ("project.nav_how_to_use", "project.nav_paths", "project.nav_reference"):
        assert messages("de")(key) in home, key
