"""职称系列（专业）names as users say them: normalise free text and map everyday words to the names
the compilation uses (送审经办机构表, 实施意见五、（二）). Vocabulary only — no policy numbers live here.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"
_NOISE = re.compile(r"[\s（）()]|系列|专业技术|专业|职称|资格")


@lru_cache(maxsize=1)
def load_vocab() -> dict:
    return yaml.safe_load((VOCAB_DIR / "series_aliases.yaml").read_text(encoding="utf-8")) or {}


def normalise(text: str | None) -> str:
    """'卫生系列 ' -> '卫生'; '基层卫生（除基层药外）' -> '基层卫生'."""
    if not text:
        return ""
    text = re.sub(r"（[^）]*）|\([^)]*\)", "", text)
    return _NOISE.sub("", text)


def canonical_terms(text: str | None) -> list[str]:
    """Names the text stands for: the text itself plus every alias it contains (longest alias first)."""
    norm = normalise(text)
    if not norm:
        return []
    terms = [norm]
    aliases = load_vocab().get("aliases") or {}
    for alias in sorted(aliases, key=len, reverse=True):
        if alias in norm and aliases[alias] not in terms:
            terms.append(aliases[alias])
    return terms


def mentions(text: str | None, names: list[str]) -> list[str]:
    """Which of `names` the text refers to, directly or through an alias."""
    terms = canonical_terms(text)
    return [name for name in names if any(name == t or name in t for t in terms)]


def is_teacher(text: str | None) -> bool:
    return bool(mentions(text, list(load_vocab().get("teacher_series") or [])))


def is_doctor(text: str | None) -> bool:
    norm = normalise(text)
    return any(term in norm for term in load_vocab().get("doctor_terms") or [])
