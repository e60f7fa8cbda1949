"""Synthetic, valid catalogues of N traits with realistic-length text, for tests and benchmarks.

Deterministic for a given N and seed, so two runs measure the same input.
Usage: python -m tests.synth N OUTPUT_DIR
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml

# A small security vocabulary: word lengths and shaping close to the real catalogue's prose.
WORDS = tuple(
    """
    risk incident analyst team control threat evidence report decision budget owner patch
    access review audit finding stakeholder vendor policy alert response network service
    credential backup exposure priority deadline lesson meeting timeline impact recovery
    attacker defender baseline change process system user data log rule trust plan
    """.split()  # noqa: SIM905 - a word list reads better as prose
)


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(10, 18)) for _ in range(sentences))


def option(rng: random.Random, correct: bool, index: int) -> dict[str, object]:
    return {
        "text": f"Option {index}: {sentence(rng, 12)}",
        "correct": correct,
        "feedback": paragraph(rng, 2),
    }


def trait(rng: random.Random, n: int, total: int, categories: int) -> dict[str, object]:
    tid = f"trait-{n:05d}"
    related = sorted({(n + 1) % total, (n + 7) % total} - {n})
    exercises: list[dict[str, object]] = []
    for k in range(3):
        right = rng.randrange(4)
        exercises.append({
            "id": f"single-{k}", "kind": "single", "scenario": paragraph(rng, 3),
            "question": "What would you do first?",
            "options": [option(rng, i == right, i) for i in range(4)],
        })  # fmt: skip
    exercises.append({
        "id": "multi", "kind": "multiple", "question": "Which of these apply? Select all that apply.",
        "options": [option(rng, i in (0, 2), i) for i in range(5)],
    })  # fmt: skip
    exercises.append(
        {"id": "reflect", "kind": "reflection", "prompt": paragraph(rng, 2), "guidance": paragraph(rng, 3)}
    )
    return {
        "id": tid,
        "title": f"Trait {n}",
        "category": f"cat-{n % categories}",
        "summary": sentence(rng, 20),
        "keywords": [rng.choice(WORDS) for _ in range(3)],
        "objectives": [sentence(rng, 14) for _ in range(3)],
        "takeaways": [sentence(rng, 16) for _ in range(3)],
        # ~1,200 words per trait page in all
        "sections": [{"title": f"Section {s}", "body": paragraph(rng, 8)} for s in range(3)],
        "behaviours": [sentence(rng, 16) for _ in range(5)],
        "practices": [sentence(rng, 20) for _ in range(4)],
        "pitfalls": [sentence(rng, 18) for _ in range(3)],
        "scenario": {"title": "A scenario", "body": paragraph(rng, 12)},
        "related": [{"id": f"trait-{r:05d}", "reason": sentence(rng, 14)} for r in related],
        "terms": [f"term-{(n + j) % 40:02d}" for j in range(3)],
        "references": [{"framework": "fw", "code": f"X{n}.{j}", "label": sentence(rng, 8)} for j in range(3)],
        "exercises": exercises,
    }


def write_catalogue(out: Path, n: int, seed: int = 42) -> Path:
    """Write a catalogue of ``n`` traits under ``out`` (catalogue.yml + traits/) and return it."""
    rng = random.Random(seed)  # noqa: S311 - reproducible data, not cryptography
    categories = max(1, min(12, n // 8))
    site = {
        "title": f"Synthetic catalogue ({n} traits)",
        "description": "Generated for benchmarks.",
        "language": "en",
        "edition": "bench",
        "date": "2026-01-01",
        "categories": [{"id": f"cat-{c}", "title": f"Category {c}"} for c in range(categories)],
        "frameworks": [{"id": "fw", "title": "Framework", "short": "FW"}],
        "glossary": [{"id": f"term-{t:02d}", "term": f"Term {t}", "definition": sentence(rng, 25)} for t in range(40)],
    }
    (out / "traits").mkdir(parents=True, exist_ok=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 100}
    (out / "catalogue.yml").write_text(yaml.safe_dump(site, **dump), encoding="utf-8")  # type: ignore[call-overload]
    for i in range(n):
        data = trait(rng, i, n, categories)
        path = out / "traits" / f"{data['id']}.yml"
        path.write_text(yaml.safe_dump(data, **dump), encoding="utf-8")  # type: ignore[call-overload]
    return out


if __name__ == "__main__":
    write_catalogue(Path(sys.argv[2]), int(sys.argv[1]))
