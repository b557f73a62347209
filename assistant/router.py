"""Deterministic, table-driven routing: intents (several at once allowed), question form and slots.

The intent table is `routes.yaml`; the vocabularies are in `lexicon.yaml` (see `slots.py`). Out-of-scope
detection is `abstain.py`'s job: the router only says what the question is about inside the compilation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.slots import Slots, extract_slots

ROUTES_FILE = Path(__file__).resolve().parent / "routes.yaml"


class Intent(StrEnum):
    title_route = "title_route"
    post = "post"
    contest = "contest"
    training = "training"
    hr_service = "hr_service"
    incubator = "incubator"
    tax = "tax"
    office = "office"
    lookup = "lookup"


class Form(StrEnum):
    eligibility = "eligibility"
    calculation = "calculation"
    lookup = "lookup"


@dataclass(frozen=True)
class IntentSpec:
    name: Intent
    label: str
    min_score: int
    strong: tuple[str, ...]
    keywords: tuple[str, ...]
    tools: tuple[str, ...]
    slots: tuple[str, ...] = ()  # slots whose presence is as strong a sign as a strong word ("岗位总数80个")


@dataclass
class Route:
    intents: list[Intent]
    scores: dict[str, int]
    forms: list[Form]
    slots: Slots
    tools: list[str] = field(default_factory=list)

    @property
    def form(self) -> Form:
        return self.forms[0] if self.forms else Form.lookup

    def to_dict(self) -> dict:
        return {"intents": [i.value for i in self.intents], "forms": [f.value for f in self.forms], "tools": self.tools,
                "slots": self.slots.to_dict()}


@lru_cache(maxsize=1)
def _table() -> tuple[list[IntentSpec], dict[str, tuple[str, ...]]]:
    data = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    specs = []
    for name, spec in data["intents"].items():
        specs.append(IntentSpec(name=Intent(name), label=spec["label"], min_score=int(spec.get("min_score", 1)),
                                strong=tuple(spec.get("strong", [])), keywords=tuple(spec.get("keywords", [])),
                                tools=tuple(spec.get("tools", [])), slots=tuple(spec.get("slots", []))))
    forms = {name: tuple(words) for name, words in data["forms"].items()}
    return specs, forms


def intent_specs() -> list[IntentSpec]:
    return _table()[0]


def intent_label(intent: Intent) -> str:
    for spec in intent_specs():
        if spec.name == intent:
            return spec.label
    return "条款查询"


def score_intents(text: str) -> dict[str, int]:
    scores: dict[str, int] = {}
    for spec in intent_specs():
        score = 2 * sum(1 for w in spec.strong if w in text) + sum(1 for w in spec.keywords if w in text)
        if score:
            scores[spec.name.value] = score
    return scores


def route(text: str, slots: Slots | None = None) -> Route:
    """Classify a question: active intents (best first), question forms, slots, candidate tools."""
    slots = slots or extract_slots(text)
    scores = score_intents(text)
    specs = {s.name.value: s for s in intent_specs()}
    for spec in specs.values():
        bonus = 2 * sum(1 for name in spec.slots if slots.get(name) is not None)
        if bonus:
            scores[spec.name.value] = scores.get(spec.name.value, 0) + bonus
    active = [Intent(name) for name, score in sorted(scores.items(), key=lambda kv: -kv[1]) if score >= specs[name].min_score]
    _, form_words = _table()
    forms = [Form(name) for name, words in form_words.items() if any(w in text for w in words)]
    tools: list[str] = []
    for intent in active:
        for tool in specs[intent.value].tools:
            if tool not in tools:
                tools.append(tool)
    return Route(intents=active or [Intent.lookup], scores=scores, forms=forms, slots=slots, tools=tools)
