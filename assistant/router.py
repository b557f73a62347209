"""Deterministic, table-driven routing: intents (several at once allowed), question form and slots.

The intent table is `routes.yaml` plus the `Triggers` that tool modules declare next to their schema
(`eligibility_tools.registry`): intents are names, not an enum. The vocabularies are in `lexicon.yaml` (see
`slots.py`). Out-of-scope detection is `abstain.py`'s job: the router only says what the question is about inside the compilation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.slots import Slots, extract_slots

ROUTES_FILE = Path(__file__).resolve().parent / "routes.yaml"


class _IntentNames(type):
    """`Intent.title_route` reads an intent by attribute; iterating `Intent` lists every known intent."""

    def __getattr__(cls, name: str) -> Intent:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return cls(name)
        except ValueError:
            raise AttributeError(name) from None

    def __iter__(cls):
        return iter([cls(spec.name) for spec in intent_specs()] + [cls(LOOKUP)])


LOOKUP = "lookup"  # no intent matched: the question is answered from the clauses alone


class Intent(str, metaclass=_IntentNames):
    """An intent is a name, and intents are data: those of `routes.yaml` plus those a tool module declares in its
    `Triggers` (`eligibility_tools.registry`). No enum to edit: `Intent("contest")` / `Intent.contest` check that
    the name is known and behave as the plain string."""

    def __new__(cls, name: str) -> Intent:
        name = str(name)
        if name != LOOKUP and name not in _table()[2]:
            raise ValueError(f"未知的意图“{name}”：请在 assistant/routes.yaml 或工具模块的 Triggers 中定义它。")
        return super().__new__(cls, name)

    @property
    def value(self) -> str:
        return str(self)


class Form(StrEnum):
    eligibility = "eligibility"
    calculation = "calculation"
    lookup = "lookup"


@dataclass(frozen=True)
class IntentSpec:
    name: str
    label: str
    min_score: int
    strong: tuple[str, ...]
    keywords: tuple[str, ...]
    tools: tuple[str, ...]
    slots: tuple[str, ...] = ()  # slots whose presence is as strong a sign as a strong word ("岗位总数80个")


@dataclass
class QuestionRoute:
    """Where a question goes: its intents, question forms, slots and candidate tools (not a title application
    route: that is `eligibility_tools.rules.titles.TitleRoute`)."""

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


def _merged(words: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    return words + tuple(w for w in more if w not in words)


def intent_table(routes: dict, tools: dict | None = None) -> list[IntentSpec]:
    """The intents of a routes.yaml mapping, joined by the `Triggers` tool modules declare (`tools`: name -> ToolSpec).

    A tool naming an intent of routes.yaml adds itself and its words to it; a tool naming a new intent creates it
    (after the routes.yaml ones, so their order and scores are unchanged)."""
    specs: dict[str, IntentSpec] = {}
    for name, spec in routes["intents"].items():
        specs[name] = IntentSpec(name=name, label=spec["label"], min_score=int(spec.get("min_score", 1)),
                                 strong=tuple(spec.get("strong", [])), keywords=tuple(spec.get("keywords", [])),
                                 tools=tuple(spec.get("tools", [])), slots=tuple(spec.get("slots", [])))
    for tool in (tools or {}).values():
        trig = getattr(tool, "triggers", None)
        if trig is None:
            continue
        old = specs.get(trig.intent)
        if old is None:
            specs[trig.intent] = IntentSpec(name=trig.intent, label=trig.label or tool.title_zh, min_score=trig.min_score,
                                            strong=tuple(trig.strong), keywords=tuple(trig.keywords), tools=(tool.name,),
                                            slots=tuple(trig.slots))
        else:
            specs[trig.intent] = IntentSpec(name=old.name, label=old.label, min_score=old.min_score,
                                            strong=_merged(old.strong, tuple(trig.strong)),
                                            keywords=_merged(old.keywords, tuple(trig.keywords)),
                                            tools=_merged(old.tools, (tool.name,)), slots=_merged(old.slots, tuple(trig.slots)))
    return list(specs.values())


@lru_cache(maxsize=1)
def _table() -> tuple[list[IntentSpec], dict[str, tuple[str, ...]], frozenset[str]]:
    from eligibility_tools.registry import load_tools

    data = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    specs = intent_table(data, load_tools())
    forms = {name: tuple(words) for name, words in data["forms"].items()}
    return specs, forms, frozenset(s.name for s in specs)


def reload_intents() -> None:
    """Forget the intent table (after a tool module was registered at run time, e.g. in a test)."""
    _table.cache_clear()


def intent_specs() -> list[IntentSpec]:
    return _table()[0]


def intent_label(intent: str) -> str:
    for spec in intent_specs():
        if spec.name == intent:
            return spec.label
    return "条款查询"


def score_intents(text: str) -> dict[str, int]:
    scores: dict[str, int] = {}
    for spec in intent_specs():
        score = 2 * sum(1 for w in spec.strong if w in text) + sum(1 for w in spec.keywords if w in text)
        if score:
            scores[spec.name] = score
    return scores


def route(text: str, slots: Slots | None = None) -> QuestionRoute:
    """Classify a question: active intents (best first), question forms, slots, candidate tools."""
    slots = slots or extract_slots(text)
    scores = score_intents(text)
    specs = {s.name: s for s in intent_specs()}
    for spec in specs.values():
        bonus = 2 * sum(1 for name in spec.slots if slots.get(name) is not None)
        if bonus:
            scores[spec.name] = scores.get(spec.name, 0) + bonus
    active = [Intent(name) for name, score in sorted(scores.items(), key=lambda kv: -kv[1]) if score >= specs[name].min_score]
    _, form_words, _ = _table()
    forms = [Form(name) for name, words in form_words.items() if any(w in text for w in words)]
    tools: list[str] = []
    for intent in active:
        for tool in specs[intent].tools:
            if tool not in tools:
                tools.append(tool)
    return QuestionRoute(intents=active or [Intent.lookup], scores=scores, forms=forms, slots=slots, tools=tools)
