"""Parse the LLM's answer: inline 【clause_id】 markers become citations, 【超出范围】 marks a refusal.

Also accepted: [post-title/s7/p3] (with a slash), lists 【a/b, c/d】, a "依据：" prefix. Only bracket
contents that look like clause ids (`post-title/s7/p3`, `skills-contest/a18`) are taken
as citations; other 【…】 text stays in the answer. Reasoning models' <think>…</think> blocks are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DECLINE_MARKER = "【超出范围】"

_MARKER_RE = re.compile(r"【\s*([^【】\n]{1,200}?)\s*】|\[\s*([^\[\]\n]{1,200}?)\s*\]")
_ID_RE = re.compile(r"^[a-z][a-z0-9-]*(?:/[a-z0-9-]+)*$")
_SPLIT_RE = re.compile(r"[,，;；、\s]+")
_PREFIX_RE = re.compile(r"^(?:条款编号|条款|依据|来源|clause_id|id)\s*[:：]\s*", re.IGNORECASE)
_THINK_RE = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL)
# A refusal the model wrote without the marker (checked only where the offline answer also refused).
_DECLINE_PHRASES_RE = re.compile(r"未规定|没有规定|未涉及|没有涉及|不包含|未包含|无法回答|超出|未明确|没有明确|未提及|没有提及|没有相关")


@dataclass
class ParsedAnswer:
    text: str  # the answer with citation markers removed
    clause_ids: list[str] = field(default_factory=list)  # in order of first mention
    declined: bool = False

    @property
    def sounds_like_refusal(self) -> bool:
        return self.declined or bool(_DECLINE_PHRASES_RE.search(self.text))


def parse_answer(raw: str) -> ParsedAnswer:
    text = _THINK_RE.sub("", raw)
    declined = DECLINE_MARKER in text
    text = text.replace(DECLINE_MARKER, "")
    clause_ids: list[str] = []

    def take(match: re.Match) -> str:
        square = match.group(1) is None
        inner = _PREFIX_RE.sub("", (match.group(1) or match.group(2)).strip())
        parts = [p for p in _SPLIT_RE.split(inner) if p]
        if not parts or not all(_ID_RE.match(p) for p in parts):
            return match.group(0)
        if square and not all("/" in p for p in parts):
            return match.group(0)  # [note], [1]: markdown, not a citation
        for part in parts:
            if part not in clause_ids:
                clause_ids.append(part)
        return ""

    text = _MARKER_RE.sub(take, text)
    text = re.sub(r"[ \t]+([，。；：、！？,.;:!?）)])", r"\1", text)  # space left where a marker was
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return ParsedAnswer(text=text, clause_ids=clause_ids, declined=declined)
