"""Abstention: is the answer in the compilation at all?

Signals, combined (see `decide`):
1. a named out-of-scope topic (养老金, 失业保险金, 工伤, 公务员招录, 专项附加扣除, 评审费金额 …, `abstain.yaml`);
2. another city or province than 乌海 / 内蒙古;
3. lexical coverage: how many of the question's content words occur in the compilation at all, and in the best
   retrieved clauses — questions about things the compilation never mentions have low coverage;
4. the dense similarity of the question to its nearest clause (a floor per embedding model, `abstain.yaml`):
   questions whose every content word occurs somewhere (病假 … 工资, 安家费 … 毕业) can still be far from
   anything the compilation says;
5. whether the router found an in-scope intent or a tool produced an answer.
Thresholds are calibrated with `assistant/calibration.py` on hand-written should-answer / should-refuse examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

ABSTAIN_FILE = Path(__file__).resolve().parent / "abstain.yaml"

# Calibrated on tests/assistant/data/abstention_examples.yaml (see the closing note / calibration.py).
CORPUS_COVERAGE_MIN = 0.5  # share of content words that occur somewhere in the compilation
CORPUS_COVERAGE_MIN_WITH_INTENT = 0.3  # the same, when the router recognised an in-scope topic
TOP_COVERAGE_MIN = 0.6  # share of content words that occur in the top retrieved clauses (no intent found)

# Question words and fillers that say nothing about the topic.
_GENERIC = set("""
多少 几 几个 几年 怎么 怎样 如何 什么 哪些 哪个 哪里 哪儿 为什么 是否 能否 可以 能 会 要 需要 还 还能 还是 现在 目前 今年 明年
每月 每个月 每年 大概 一般 具体 请问 问 一下 想 知道 告诉 我 我们 你 你们 他 她 单位 公司 有 没有 吗 呢 吧 啊 呀 了 的 得 地 么 就 都 也 又
标准 规定 政策 要求 条件 办理 申请 领 拿 交 给 多久 时间 结果 出来 能领 能拿 钱 元 块 万 个人 工作 干 年 月 日 天 乌海 乌海市 本地 这里 这边
某个 某些 发到 第几 几名 第几名 一共 总共 分别 各设 几个人 多少次 多少个 怎么办 怎么样 大概 按规定
""".split())


@dataclass
class Decision:
    out_of_scope: bool
    reason: str = ""
    topic: str | None = None
    refer: str | None = None
    mentioned_as: list[str] = field(default_factory=list)
    coverage_corpus: float = 1.0
    coverage_top: float = 1.0

    def to_dict(self) -> dict:
        return {"out_of_scope": self.out_of_scope, "reason": self.reason, "topic": self.topic,
                "coverage_corpus": round(self.coverage_corpus, 3), "coverage_top": round(self.coverage_top, 3)}


@lru_cache(maxsize=1)
def _config() -> dict:
    data = yaml.safe_load(ABSTAIN_FILE.read_text(encoding="utf-8"))
    for topic in data["topics"]:
        topic["_re"] = re.compile("|".join(f"(?:{p})" for p in topic["patterns"]))
    return data


@lru_cache(maxsize=1)
def _corpus_text() -> str:
    from corpus.loader import load_corpus

    corpus = load_corpus()
    parts = [c.text for c in corpus.clauses.values()] + [d.title for d in corpus.documents]
    return re.sub(r"\s+", "", "\n".join(parts))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def content_words(question: str) -> list[str]:
    """The question's topical words (jieba tokens without fillers and question words)."""
    from indexing.tokenizer import synonym_map, tokenize

    tokens = tokenize(question, synonyms=False)
    words = []
    for tok in tokens:
        if tok in _GENERIC or len(tok) < 2 or re.fullmatch(r"[\d.%]+|[a-z]+", tok):
            continue
        if re.fullmatch(r"[\d.]+[年月日个人名户元万岁]+", tok):
            continue
        words.append(tok)
    syn = synonym_map()
    return list(dict.fromkeys(w for w in words if w not in _GENERIC or w in syn))


def _known(word: str, text: str) -> bool:
    from indexing.tokenizer import synonym_map

    if word in text:
        return True
    for alt in synonym_map().get(word, ()):
        if alt in text:
            return True
    # a compound such as 档案岗 / 电工证: known if its first two characters are
    return len(word) >= 3 and word[:2] in text


def coverage(words: list[str], text: str) -> float:
    if not words:
        return 1.0
    return sum(1 for w in words if _known(w, text)) / len(words)


def topic_hit(question: str) -> dict | None:
    for topic in _config()["topics"]:
        if topic["_re"].search(question):
            return topic
    return None


def other_place(question: str) -> str | None:
    cfg = _config()
    for place in cfg["other_places"]:
        pos = question.find(place)
        if pos < 0:
            continue
        if place == "海南省" or not re.search("海南区", question):
            before = question[max(0, pos - 8):pos]
            if any(ok in before for ok in cfg.get("place_ok_context", [])):
                continue
            return place
    return None


def min_similarity(embedder_name: str | None, has_intent: bool) -> float | None:
    """The calibrated floor of question-to-nearest-clause cosine for this embedder (None: no floor known).

    Cosine scales differ between embedding models, so a floor is only applied for a model it was calibrated on.
    """
    floors = (_config().get("min_similarity") or {}).get(embedder_name or "")
    if not floors:
        return None
    return floors["with_intent"] if has_intent else floors["default"]


def decide(question: str, retrieved_texts: list[str], *, has_intent: bool, tool_answered: bool,
           corpus_min: float = CORPUS_COVERAGE_MIN, top_min: float = TOP_COVERAGE_MIN,
           similarity: float | None = None, embedder_name: str | None = None) -> Decision:
    """Out of scope or not, with the reason (a topic, a place, low coverage, or low similarity to every clause)."""
    topic = topic_hit(question)
    if topic:
        return Decision(True, reason="topic", topic=topic["name"], refer=topic.get("refer"),
                        mentioned_as=list(topic.get("mentioned_as", [])))
    place = other_place(question)
    if place:
        return Decision(True, reason="place", topic=f"{place}的政策", refer=f"{place}当地的人社部门")
    words = content_words(question)
    cov_corpus = coverage(words, _corpus_text())
    cov_top = coverage(words, _squash("".join(retrieved_texts[:3])))
    decision = Decision(False, coverage_corpus=cov_corpus, coverage_top=cov_top)
    if tool_answered:
        return decision
    floor = min_similarity(embedder_name, has_intent)
    if similarity is not None and floor is not None and similarity < floor:
        decision.out_of_scope, decision.reason = True, "similarity"
    elif cov_corpus < (min(corpus_min, CORPUS_COVERAGE_MIN_WITH_INTENT) if has_intent else corpus_min):
        decision.out_of_scope, decision.reason = True, "coverage"
    elif not has_intent and cov_top < top_min:
        decision.out_of_scope, decision.reason = True, "coverage"
    return decision
