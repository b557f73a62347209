"""Answer-type matching: a question that asks for an amount, a ratio, a duration, a date, a count or a
contact should rank first the clause that states one (classic QA answer typing, no model needed).

Used as a small tie-breaking bonus after fusion: neighbouring clauses of one article often share every
topic word (第十条 / 第十一条), and the one that holds the asked-for kind of fact is the one to cite.
The patterns are reviewed data in `answer_types.yaml`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

ANSWER_TYPES_FILE = Path(__file__).resolve().parent / "answer_types.yaml"


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(ANSWER_TYPES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _types() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    return [(t["name"], re.compile(t["asks"]), re.compile(t["states"])) for t in _data()["types"]]


@lru_cache(maxsize=1)
def _computed() -> tuple[re.Pattern[str], list[tuple[str, re.Pattern[str]]]]:
    data = _data()
    return re.compile(data["how_computed"]), [(t["name"], re.compile(t["subjects"])) for t in data["types"] if t.get("subjects")]


_BARE_HOW_MUCH = re.compile(r"多少(?!个|人|名|次|户|项|份|年|天|月|课时|学时)")


def asked_types(question: str) -> list[str]:
    """The kinds of fact the question asks for (may be several, or none for a yes/no or "what is" question).
    "学徒补贴怎么算" and "补贴每年多少" ask for the kind their subject noun carries (money)."""
    kinds = [name for name, asks, _ in _types() if asks.search(question)]
    if not kinds:
        how, subjects = _computed()
        m = how.search(question) or _BARE_HOW_MUCH.search(question)  # "补贴每年多少": 多少 apart from its noun
        if m:
            before = question[: m.start()]
            kinds = [name for name, subject in subjects if subject.search(before)]
    return kinds


def states(text: str, kinds: list[str]) -> bool:
    """Whether `text` states a fact of any of `kinds`."""
    flat = re.sub(r"\s+", "", text)
    return any(pattern.search(flat) for name, _, pattern in _types() if name in kinds)
