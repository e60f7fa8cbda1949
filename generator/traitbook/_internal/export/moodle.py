"""What Moodle's two import formats (GIFT and Moodle XML) share: answer grades, category paths
and the question idnumber.

Moodle accepts an answer grade only if it is within 0.00001 of one of its grade options
(``question_bank::fraction_options_full``, checked by ``match_grade_options`` on import). A
multiple-select question shares +100 % among its keys and -100 % among its distractors; 1/n is
written as the grade option Moodle has for it (33.33333 for a third: three of them make 99.99999,
which Moodle's own check, ``round(total, 2) == 1``, accepts). Shares Moodle has no option for
(eleven keys and more, except twenty) are written to five decimals: Moodle then refuses the
question unless the import is set to use the nearest grade.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from .bank import Bank, Category, Choice, Question

#: Moodle's grade options, as it writes them (question/engine/bank.php).
GRADE_OPTIONS = tuple(
    Decimal(v)
    for v in (
        "1", "0.9", "0.8333333", "0.8", "0.75", "0.7", "0.6666667", "0.6", "0.5", "0.4", "0.3333333",
        "0.3", "0.25", "0.2", "0.1666667", "0.1428571", "0.125", "0.1111111", "0.1", "0.05",
    )
)  # fmt: skip
_TOLERANCE = Decimal("0.00001")

#: Moodle's question idnumber column holds 100 characters.
IDNUMBER_MAX = 100


def share_percent(count: int) -> Decimal:
    """1/count as a percentage Moodle accepts (a grade option where there is one)."""
    exact = Decimal(1) / Decimal(count)
    for option in GRADE_OPTIONS:
        if abs(option - exact) < _TOLERANCE:
            return (option * 100).normalize()
    return (exact * 100).quantize(Decimal("0.00001")).normalize()


def percent_text(value: Decimal) -> str:
    """A percentage as Moodle writes it: no exponent, no trailing zeros ("33.33333", "-50", "100")."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fractions(question: Question) -> tuple[Decimal, ...]:
    """Each option's grade in percent: single choice 100/0; multiple select shares +100 among
    the keys and -100 among the distractors."""
    if question.kind == "single":
        return tuple(Decimal(100) if c.correct else Decimal(0) for c in question.choices)
    keys = sum(c.correct for c in question.choices)
    wrong = len(question.choices) - keys
    plus = share_percent(keys) if keys else Decimal(0)
    minus = -share_percent(wrong) if wrong else Decimal(0)
    return tuple(plus if c.correct else minus for c in question.choices)


def fraction_texts(question: Question) -> tuple[str, ...]:
    return tuple(percent_text(f) for f in fractions(question))


def category_path(bank: Bank, category: Category) -> str:
    """``$course$/top/<catalogue title>/<trait title>``; a "/" inside a title is written "//",
    as Moodle's category paths escape it."""
    return "/".join(("$course$", "top", *(_segment(t) for t in (bank.title, category.title))))


def _segment(title: str) -> str:
    return " ".join(title.split()).replace("/", "//")


def idnumber(question: Question) -> str:
    """The exercise key, which fits Moodle's 100 characters unless both ids are very long; then
    its start and a digest of the whole, still unique and stable."""
    if len(question.ident) <= IDNUMBER_MAX:
        return question.ident
    digest = hashlib.sha256(question.ident.encode()).hexdigest()[:16]
    return f"{question.ident[: IDNUMBER_MAX - 17]}~{digest}"


def answers(question: Question) -> tuple[tuple[Choice, str], ...]:
    """The options with their grades as Moodle writes them."""
    return tuple(zip(question.choices, fraction_texts(question), strict=True))
