"""Hostile and broken input: each is a clean error (exit 2, file:line, no traceback).

Each case records what its `check` took in test-artifacts/hostile-timings.json (merged: a
case run alone updates its own entry). Nothing here asserts a speed; the only limit is a
generous timeout that turns a hang into a failure. Speed is measured in bench/hostile.py.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_command

TWO = "catalogue/traits/two.yml"
HANG_GUARD_S = 30
TIMINGS = ROOT / "test-artifacts" / "hostile-timings.json"


@pytest.fixture(scope="module")
def timings() -> Iterator[dict[str, float]]:
    """The timings artifact: the entries of earlier runs, updated by the cases that ran."""
    try:
        recorded = json.loads(TIMINGS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    yield recorded
    TIMINGS.parent.mkdir(exist_ok=True)
    TIMINGS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def run_check(project: Path) -> tuple[int, str, float]:
    start = time.perf_counter()
    result = run_command("--root", str(project), "check", timeout=HANG_GUARD_S)
    return result.returncode, result.stderr, time.perf_counter() - start


def alias_bomb() -> bytes:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


VALID_TWO = (Path(__file__).parent / "fixtures" / "mini" / "traits" / "two.yml").read_bytes()

# name → (file bytes, expected "file:line" prefix, expected text)
CASES: dict[str, tuple[bytes, str, str]] = {
    "alias bomb": (alias_bomb(), f"{TWO}:1:5:", "anchors and aliases are not allowed"),
    "1000-level nesting": (b"id: " + b"[" * 1000 + b"]" * 1000 + b"\n", f"{TWO}:1:", "maximum nesting depth"),
    "deep mappings": (
        "".join(" " * i + "k:\n" for i in range(60)).encode() + b" " * 60 + b"v\n",
        f"{TWO}:",
        "nesting deeper than",
    ),
    "invalid UTF-8": (VALID_TWO.replace(b"Trait Two", b"Trait \xc3\x28 Two"), f"{TWO}:2:14:", "invalid UTF-8"),
    "NUL byte": (VALID_TWO.replace(b"Trait Two", b"Trait\x00Two"), f"{TWO}:2:", "NUL byte"),
    "private-use character": (
        VALID_TWO.replace(b"title: Trait Two", b'title: "Trait \\ue000 Two"'),
        f"{TWO}:2:8: title:",
        "private-use character U+E000",
    ),
    "20 MB file": (VALID_TWO + b"# " + b"x" * (20 * 1024 * 1024) + b"\n", f"{TWO}:1:1:", "over the 2 MiB limit"),
    "JSON NaN for a boolean": (
        VALID_TWO.replace(b"correct: true", b"correct: NaN"),
        f"{TWO}:18:",
        "must be true or false",
    ),
    "YAML NaN for text": (
        VALID_TWO.replace(b"title: Trait Two", b"title: .nan"),
        f"{TWO}:2:8: title:",
        "not a number (nan)",
    ),
    "%YAML 1.1 directive": (b"%YAML 1.1\n---\n" + VALID_TWO, f"{TWO}:1:1:", "directive '%YAML 1.1' is not allowed"),
    "%TAG directive": (b"%TAG !x! tag:example.com,2000:\n---\n" + VALID_TWO, f"{TWO}:1:1:", "directive '%TAG"),
    "python object tag": (
        VALID_TWO.replace(b"title: Trait Two", b"title: !!python/object/apply:os.system ['true']"),
        f"{TWO}:2:8: title:",
        "is not allowed",
    ),
    "binary junk": (bytes(range(256)) * 4, f"{TWO}:2:118:", "invalid UTF-8"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_is_a_clean_error(project: Path, name: str, timings: dict[str, float]) -> None:
    raw, where, what = CASES[name]
    (project / TWO).write_bytes(raw)
    code, err, seconds = run_check(project)
    timings[name] = round(seconds, 3)
    assert code == 2, err
    assert "Traceback" not in err
    assert any(line.startswith(where) and what in line for line in err.splitlines()), err


def test_a_utf8_bom_is_accepted(project: Path) -> None:
    (project / TWO).write_bytes(b"\xef\xbb\xbf" + VALID_TWO)
    code, err, _ = run_check(project)
    assert code == 0, err


# ids that look fine to a person but must not become file names or URLs
IDS: dict[str, tuple[str, str]] = {  # name → (id, what the message must say)
    "upper case": ("Two", "not a valid id"),
    "differs only by case from another": ("ONE", "not a valid id"),
    "NFC accent": (unicodedata.normalize("NFC", "café"), "not a valid id"),
    "NFD accent": (unicodedata.normalize("NFD", "café"), "not a valid id"),
    "Cyrillic look-alike o": ("tw\u043e", "not a valid id"),
    "300 characters": ("a" * 300, "too long"),
    "Windows con": ("con", "reserved name"),
    "Windows nul": ("nul", "reserved name"),
    "Windows aux": ("aux", "reserved name"),
    "Windows com1": ("com1", "reserved name"),
    "leading dot": (".two", "not a valid id"),
    "path traversal": ("../two", "not a valid id"),
}


@pytest.mark.parametrize("name", list(IDS))
def test_suspicious_ids_are_refused(project: Path, name: str) -> None:
    bad, what = IDS[name]
    text = VALID_TWO.decode().replace("  - id: pick", f"  - id: {json.dumps(bad)}")
    (project / TWO).write_text(text, encoding="utf-8")
    code, err, _ = run_check(project)
    assert code == 2
    line = next((ln for ln in err.splitlines() if ln.startswith(f"{TWO}:13:9: exercises[0].id:")), "")
    assert what in line, err


def test_trait_file_with_a_suspicious_name_is_refused(project: Path) -> None:
    (project / "catalogue" / "traits" / "Con.yml").write_bytes(VALID_TWO.replace(b"id: two", b"id: con"))
    code, err, _ = run_check(project)
    assert code == 2 and "catalogue/traits/Con.yml:1:5: id: 'con' is a reserved name" in err
