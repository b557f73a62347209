"""Pure grading functions: evidence matching, number normalisation, per-item grades and summaries.

No model, no I/O. The rules are documented for humans in `evals/README.md`; keep both in step.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assistant.numbers import CN_DIGITS, SIMPLE_NUMERALS, NumberToken, fold, parse_number, scan_numbers

TOP_K = 5
CATEGORIES = ("lookup", "eligibility", "eligibility_ask", "calculation", "multi_hop", "multi_part", "multi_turn",
              "out_of_scope", "time_validity")
IN_SCOPE_STATUSES = frozenset({"answered", "needs_more_info"})
EXPIRY_WORDS = ("到期", "已过", "截至", "失效", "期限")
VERDICTS = ("yes", "no", "not_yet")
METRIC_KEYS = ("hit@1", "hit@3", "hit@5", "mrr", "numbers_ok", "numbers_stated", "status_ok", "verdict_ok", "false_abstain",
               "expiry_flagged", "p50_ms", "p95_ms", "cite_len_median", "cite_len_max")
SUMMARY_KEYS = ("n", *METRIC_KEYS, "evidence_coverage")

_WHITESPACE = re.compile(r"\s+")


def normalize_ws(text: str) -> str:
    """Remove every whitespace character (ASCII, full-width U+3000, newlines, tabs)."""
    return _WHITESPACE.sub("", text or "")


# --------------------------------------------------------------------------- evidence

def evidence_matches(evidence: str, citation_text: str) -> bool:
    """True when the cited text holds the evidence, whitespace removed on both sides.

    An evidence string with tabs is a table row: it matches a citation that holds every non-empty
    tab-separated part (the cells), in any order.
    """
    text = normalize_ws(citation_text)
    if "\t" in evidence:
        parts = [normalize_ws(p) for p in evidence.split("\t")]
        parts = [p for p in parts if p]
        return bool(parts) and all(p in text for p in parts)
    needle = normalize_ws(evidence)
    return bool(needle) and needle in text


def first_hit_rank(citation_texts: Sequence[str], evidence: Sequence[str], top_k: int = TOP_K) -> int | None:
    """1-based rank of the first citation (within top_k) that matches ANY evidence string; None if none."""
    for rank, text in enumerate(citation_texts[:top_k], start=1):
        if any(evidence_matches(e, text) for e in evidence):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / rank


def evidence_coverage(citation_texts: Sequence[str], evidence: Sequence[str], top_k: int = TOP_K) -> float | None:
    """Fraction of the evidence strings matched by at least one of the top_k citations (None without evidence)."""
    if not evidence:
        return None
    top = citation_texts[:top_k]
    found = sum(1 for e in evidence if any(evidence_matches(e, t) for t in top))
    return found / len(evidence)


# --------------------------------------------------------------------------- numbers

# Numbers are read by the assistant's one number reading (`assistant.numbers`: width and numeral-form folding, 万 / 萬 /
# w / k, spaces, Chinese and financial numerals), the same reading its grounding check and slot extraction use; this
# module decides which of them count in an answer (a lone 一 in 一般 does not) and reads ranges and dates.
_CN_DIGITS = CN_DIGITS
_RANGE_SEP = re.compile(r"[—–\-~～至到]{1,2}")
# A lone Chinese digit (一, 两, 十 …) counts as a number only before a measure word: 三年, 两个, 一名 —
# so that 一般, 统一, 两者 do not put 1 and 2 into every answer.
_MEASURE_WORDS = ("年", "个", "名", "人", "次", "级", "元", "岁", "周", "月", "日", "号", "天", "项", "户", "倍", "分",
                  "课时", "小时", "家", "所", "类", "批", "期", "轮", "档", "件", "份", "位", "种", "只", "条", "款",
                  "章", "节", "部", "层", "成", "届", "季", "学期", "等", "门", "套", "台", "本", "篇", "张", "段")
_NOT_NUMBERS = ("一次性", "十分")
_DATE_LIKE = re.compile(r"\d(?:月|日|号)|月底|月末|月初")
_CN_RUN = re.compile(f"[{SIMPLE_NUMERALS}]+")


def _prepare(text: str) -> str:
    """Folded (full-width digits to ASCII, 貳萬 to 二万), whitespace removed (kept as a separator between two digits),
    thousands commas dropped."""
    text = fold(text or "")
    text = re.sub(r"(?<=\d)\s+(?=\d)", "|", text)
    text = normalize_ws(text)
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)


@dataclass
class NumberSet:
    """Every number in a text: plain values (with 万/亿 applied) and percentages, kept apart."""

    values: set[Decimal] = field(default_factory=set)
    percents: set[Decimal] = field(default_factory=set)

    def add(self, value: Decimal, percent: bool = False) -> None:
        (self.percents if percent else self.values).add(value.normalize())


def parse_numbers(text: str) -> NumberSet:
    """Parse every number of a Chinese text.

    Arabic numbers with their multiplier (0.8万 -> 8000, 2亿 -> 200000000, 2萬 / 2w -> 20000), thousands commas (8,000),
    full-width digits, percentages (70%, 百分之七十), Chinese numerals (三年 -> 3, 十二 -> 12, 五十六万 -> 560000, 貳萬 -> 20000).
    In a range whose multiplier is written once (30—60万元), the first number is also read with it.
    """
    prepared = _prepare(text)
    found = NumberSet()
    arabic: list[NumberToken] = []
    for token in scan_numbers(prepared):
        if token.percent_word:
            found.add(token.value, percent=True)
        elif not token.chinese:
            found.add(token.base if token.percent else token.value, percent=token.percent)
            arabic.append(token)
        elif _counts(token, prepared):
            found.add(token.value, percent=token.percent)
    for first, second in zip(arabic, arabic[1:], strict=False):
        if (not first.multiplier and not first.percent and (second.multiplier or second.percent)
                and _RANGE_SEP.fullmatch(prepared[first.end:second.start])):
            found.add(parse_number(first.text + second.multiplier) or first.value, percent=second.percent)
    return found


def _counts(token: NumberToken, text: str) -> bool:
    """Whether a Chinese numeral of an answer is a number: 三年 and 十二 are, 一般 / 统一 / 一次性 / 两者 are not."""
    m = _CN_RUN.match(token.text)
    run = m.group(0) if m else token.text
    after = text[token.start + len(run):]
    if any((run + after).startswith(w) for w in _NOT_NUMBERS):
        return False
    return not (len(run) == 1 and not after.startswith(_MEASURE_WORDS))


def _date_text(text: str) -> str:
    """Text for date-like matching: prepared, Chinese numerals before 月/日/号 in digits, 9号 -> 9日."""
    text = _prepare(text)
    text = re.sub(f"([{_CN_DIGITS}十]+)(?=[月日号])", lambda m: str(int(parse_number(m.group(1)) or 0)), text)
    return re.sub(r"(?<=月)(\d{1,2})号", r"\1日", text)


@dataclass(frozen=True)
class ExpectedNumber:
    """One expected number: `kind` value | percent | date; `value` a Decimal or, for dates, the normalised text."""

    raw: str
    kind: str
    value: Decimal | str


def parse_expected(raw: str) -> ExpectedNumber:
    """Parse a gold `expected_numbers` entry; ValueError (Chinese) if it is not exactly one number or date."""
    text = _prepare(raw)
    if not text:
        raise ValueError("预期数字为空")
    if _DATE_LIKE.search(_date_text(raw)):
        return ExpectedNumber(raw, "date", _date_text(raw))
    numbers = parse_numbers(raw)
    if len(numbers.values) + len(numbers.percents) != 1:
        raise ValueError(f"预期数字“{raw}”应当恰好是一个数（如 3、0.8万、70%、6月9日）")
    if numbers.percents:
        return ExpectedNumber(raw, "percent", next(iter(numbers.percents)))
    return ExpectedNumber(raw, "value", next(iter(numbers.values)))


def number_in_answer(expected: str | ExpectedNumber, answer: str, parsed: NumberSet | None = None) -> bool:
    """True when the answer states the expected number (same value, same kind: plain / percent / date)."""
    exp = expected if isinstance(expected, ExpectedNumber) else parse_expected(expected)
    if exp.kind == "date":
        assert isinstance(exp.value, str)
        tail = r"(?!\d)" if exp.value[-1].isdigit() else ""
        return re.search(r"(?<!\d)" + re.escape(exp.value) + tail, _date_text(answer)) is not None
    numbers = parsed if parsed is not None else parse_numbers(answer)
    return exp.value in (numbers.percents if exp.kind == "percent" else numbers.values)


def missing_numbers(expected: Iterable[str], answer: str) -> list[str]:
    """The expected numbers the answer does not state (empty list: all present)."""
    parsed = parse_numbers(answer)
    return [e for e in expected if not number_in_answer(e, answer, parsed)]


MIN_QUOTE_CHARS = 12


def strip_quoted(answer: str, quoted_texts: Iterable[str], min_chars: int = MIN_QUOTE_CHARS) -> str:
    """The answer without the text pasted verbatim from the quoted texts (the cited clauses).

    Every maximal run of >= min_chars characters (whitespace removed on both sides) that occurs verbatim in
    one quoted text is cut out; each cut becomes a line break, so the numbers on its two sides do not merge.
    """
    answer = answer or ""
    kept = [i for i, ch in enumerate(answer) if not ch.isspace()]   # position in the no-space text -> in answer
    flat = "".join(answer[i] for i in kept)
    sources = [t for t in (normalize_ws(q) for q in quoted_texts) if len(t) >= min_chars]
    if not sources or len(flat) < min_chars:
        return answer
    cut = [False] * len(flat)
    length = 0
    for start in range(len(flat)):
        # the longest match at start+1 is at least the one at start minus its first character
        length = max(length - 1, 0)
        while start + length < len(flat) and any(flat[start:start + length + 1] in t for t in sources):
            length += 1
        if length >= min_chars:
            cut[start:start + length] = [True] * length
    out, previous_cut = [], False
    removed = {kept[i] for i, c in enumerate(cut) if c}
    for i, ch in enumerate(answer):
        if i in removed:
            if not previous_cut:
                out.append("\n")
            previous_cut = True
            continue
        if not ch.isspace():
            previous_cut = False
        out.append(ch)
    return "".join(out)


def unstated_numbers(expected: Iterable[str], answer: str, citation_texts: Iterable[str]) -> list[str]:
    """The expected numbers the answer does not state in its own words (outside text pasted from a citation)."""
    return missing_numbers(expected, strip_quoted(answer, citation_texts))


# --------------------------------------------------------------------------- verdict

VERDICT_LABELS = {"yes": "可以", "no": "不可以", "not_yet": "暂不能（还差条件）", None: "未给出判断"}
# Checked in this order, first the first clause of the conclusion, then the whole conclusion. "Not yet" words
# contain "no" words (还不能 ⊃ 不能) and "no" words contain "yes" words (不可以 ⊃ 可以), hence the order.
NOT_YET_WORDS = ("还不能", "暂不能", "暂时不能", "现在还不行", "目前还不", "还差", "尚未满", "还不够", "再过",
                 "还不可以", "还不行")
NO_WORDS = ("不可以", "不能", "不行", "不符合", "不可", "不中", "不得", "不予", "不够", "不属于", "不适用", "没有资格",
            "不享受", "不一样", "不需要", "无需", "不用")
YES_WORDS = ("可以", "能", "符合", "够", "行", "中", "一样", "享有", "适用", "需要", "可")
# A quotation (a route's name, a clause, a document title) or a bracketed aside (a caveat, a reference) inside a conclusion is not the
# answer's own judgement: "可以报名（往届一等奖获得者不得再参加同赛项）" is a yes.
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|『[^』]*』|《[^》]*》|\"[^\"]*\"|（[^（）]*）|\([^()]*\)")
# Questions echoed in a conclusion are not answers: 能否申报 / 是否符合 / 中不中 say neither yes nor no.
_ASKING = re.compile(r"能否|可否|是否|能不能|可不可以|行不行|中不中|够不够|符不符合|适不适用|需不需要|要不要|有没有")
# Words that hold a one-character verdict word without being one (技能 is not 能, 中级 is not 中, 执行 is not 行).
_NOT_VERDICT_WORDS = re.compile(
    "技能|职能|功能|智能|才能|能力|能手|能源|节能|效能|性能|体能|产能|潜能|赋能|可能|只能|"
    "执行|试行|施行|实行|推行|进行|举行|运行|履行|自行|另行|现行|先行|银行|行业|行政|行为|行动|发行|同行|"
    "中级|中专|中职|初中|高中|其中|中心|中小|集中|中国|中华|中共|中央|中青年|中期|中旬|中等|当中|之中|中外|中高|中初|"
    "认可|许可|可持续|需要了解|需要补充|需要提供|需要确认|足够")
_CONCLUSION_LINE = re.compile(r"^\s*结论\s*[：:]\s*(.*)$", re.M)
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_CLAUSE_END = re.compile(r"[。；;]")


def conclusion_of(answer: str) -> str:
    """The conclusion of an answer: the text of its `结论：` line, else its first sentence."""
    answer = answer or ""
    line = _CONCLUSION_LINE.search(answer)
    if line:
        return line.group(1).strip()
    text = answer.strip()
    end = _SENTENCE_END.search(text)
    return text[: end.start()] if end else text


def _word_pattern(words: Sequence[str]) -> re.Pattern[str]:
    # 中 and 行 count only standing alone (中。/ 中（可以报） / 行！): inside a phrase they are 其中, 执行, 中没有 ….
    alone = {"中", "行"}
    return re.compile("|".join(rf"(?<![\u4e00-\u9fff]){w}(?![\u4e00-\u9fff])" if w in alone else re.escape(w) for w in words))


_VERDICT_PATTERNS = (("not_yet", _word_pattern(NOT_YET_WORDS)), ("no", _word_pattern(NO_WORDS)), ("yes", _word_pattern(YES_WORDS)))


def verdict_of(answer: str) -> str | None:
    """Polarity of the answer's conclusion: "yes" / "no" / "not_yet", None when it states none (rules: evals/README.md)."""
    conclusion, previous = conclusion_of(answer), None
    while previous != conclusion:  # nested brackets: （以考代评的系列（专业）除外：…） is quoted as a whole
        previous, conclusion = conclusion, _QUOTED.sub("·", conclusion)
    conclusion = _NOT_VERDICT_WORDS.sub("·", _ASKING.sub("·", conclusion))
    end = _CLAUSE_END.search(conclusion)
    first_clause = conclusion[: end.start()] if end else conclusion
    for scope in (first_clause, conclusion):
        for verdict, pattern in _VERDICT_PATTERNS:
            if pattern.search(scope):
                return verdict
    return None


def verdict_ok(expected: str | None, answer: str) -> bool | None:
    """The conclusion's polarity matches the expected verdict; None when the item has no expected verdict."""
    return None if expected is None else verdict_of(answer) == expected


# --------------------------------------------------------------------------- status, expiry, latency

def status_ok(category: str, status: str | None, expected_status: str | None = None) -> bool:
    """With an expected status: exactly that status. Otherwise out_of_scope items must be declined and every other
    item answered (answered / needs_more_info)."""
    if expected_status is not None:
        return status == expected_status
    if category == "out_of_scope":
        return status == "out_of_scope"
    return status in IN_SCOPE_STATUSES


def false_abstain(category: str, status: str | None, expected_status: str | None = None) -> bool | None:
    """An in-scope item declined or failed (out_of_scope / error / missing status); None for out-of-scope items
    (category out_of_scope, or expected status out_of_scope)."""
    if category == "out_of_scope" or expected_status == "out_of_scope":
        return None
    return status not in IN_SCOPE_STATUSES


def expiry_flagged(warnings: Sequence[str] | None) -> bool:
    """At least one warning that speaks of an expiry (到期 / 已过 / 截至 / 失效 / 期限)."""
    return any(isinstance(w, str) and any(word in w for word in EXPIRY_WORDS) for w in (warnings or []))


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), None for an empty list."""
    if not values:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"q must be in [0, 100], got {q}")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def cite_length(text: str) -> int:
    """Length of a cited text in characters, whitespace not counted."""
    return len(normalize_ws(text))


# --------------------------------------------------------------------------- items and summaries

def grade_item(item: Any, response: Mapping[str, Any], *, answer_level: bool, run: str = "") -> dict[str, Any]:
    """Grade one response (answer contract, or retrieval `{citations, elapsed_ms}`) against a gold item.

    `item` needs `id, category, question, evidence, expected_numbers, expected_answer`, and may have
    `expected_status` / `expected_verdict`. With `answer_level=False` (retrieval-only runs) the answer metrics are None.
    A conversation (`question` a list of turns) is graded on the response to its last turn.
    """
    all_citations = list(response.get("citations") or [])
    citations = all_citations[:TOP_K]
    texts = [str(c.get("text") or "") for c in citations]
    expected_status = getattr(item, "expected_status", None)
    expected_verdict = getattr(item, "expected_verdict", None)
    question = item.question if isinstance(item.question, str) else list(item.question)
    evidence = list(item.evidence)
    rank = first_hit_rank(texts, evidence) if evidence else None
    has_ev = bool(evidence)
    status = response.get("status") if answer_level else None
    answer = str(response.get("answer") or "") if answer_level else ""
    warnings = list(response.get("warnings") or []) if answer_level else []
    verdict = verdict_of(_with_conclusion(answer, response.get("conclusion"))) if answer_level else None

    rec: dict[str, Any] = {
        "id": item.id, "category": item.category, "question": question, "run": run,
        "rank": rank,
        "hit@1": hit_at(rank, 1) if has_ev else None,
        "hit@3": hit_at(rank, 3) if has_ev else None,
        "hit@5": hit_at(rank, 5) if has_ev else None,
        "rr": reciprocal_rank(rank) if has_ev else None,
        "evidence_coverage": evidence_coverage(texts, evidence),
        "numbers_ok": None, "numbers_missing": [],
        "numbers_stated": None, "numbers_only_quoted": [],
        "status": status,
        "status_ok": status_ok(item.category, status, expected_status) if answer_level else None,
        "verdict": verdict,
        "verdict_ok": (None if expected_verdict is None else verdict == expected_verdict) if answer_level else None,
        "false_abstain": false_abstain(item.category, status, expected_status) if answer_level else None,
        "expiry_flagged": expiry_flagged(warnings) if answer_level and item.category == "time_validity" else None,
        "elapsed_ms": _float_or_none(response.get("elapsed_ms")),
        "cite_lens": [cite_length(t) for t in texts],
        "citations": [{"clause_id": c.get("clause_id"), "label": c.get("label"), "text": _clip(str(c.get("text") or ""), 160)}
                      for c in citations],
        "answer": answer,
        "warnings": warnings,
        "expected": {"evidence": evidence, "numbers": list(item.expected_numbers),
                     "status": expected_status or ("out_of_scope" if item.category == "out_of_scope" else "answered | needs_more_info"),
                     "verdict": expected_verdict, "answer": item.expected_answer},
    }
    if answer_level and item.expected_numbers:
        rec["numbers_missing"] = missing_numbers(item.expected_numbers, answer)
        rec["numbers_ok"] = not rec["numbers_missing"]
        unstated = unstated_numbers(item.expected_numbers, answer, [str(c.get("text") or "") for c in all_citations])
        rec["numbers_only_quoted"] = [n for n in unstated if n not in rec["numbers_missing"]]
        rec["numbers_stated"] = not unstated
    rec["failures"] = failure_reasons(rec)
    rec["passed"] = not rec["failures"]
    return rec


def failure_reasons(rec: Mapping[str, Any]) -> list[str]:
    """Why an item failed, in Chinese, one reason per failed metric."""
    reasons = []
    if rec.get("hit@5") is False:
        reasons.append(f"前{TOP_K}条引用均不含证据")
    elif rec.get("hit@1") is False:
        reasons.append(f"首条引用不含证据（第{rec['rank']}条才命中）")
    if rec.get("numbers_ok") is False:
        reasons.append("回答缺少数字：" + "、".join(rec["numbers_missing"]))
    if rec.get("numbers_only_quoted"):
        reasons.append("以下数字只出现在照抄的条文中，回答没有自己写出：" + "、".join(rec["numbers_only_quoted"]))
    if rec.get("status_ok") is False:
        reasons.append(f"状态应为 {rec['expected']['status']}，实际为 {rec.get('status')}")
    if rec.get("verdict_ok") is False:
        expected = rec["expected"].get("verdict")
        reasons.append(f"结论应为“{VERDICT_LABELS.get(expected, expected)}”，实际为“{VERDICT_LABELS.get(rec.get('verdict'))}”")
    if rec.get("expiry_flagged") is False:
        reasons.append("未给出到期提示（warnings 中没有 到期/已过/截至/失效/期限）")
    return reasons


def summarise(records: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """`{"ALL": {...}, "<category>": {...}}` with SUMMARY_KEYS; a metric with no applicable item is None."""
    groups: dict[str, list[Mapping[str, Any]]] = {"ALL": list(records)}
    known = [c for c in CATEGORIES if any(r["category"] == c for r in records)]
    extra = sorted({r["category"] for r in records} - set(CATEGORIES))
    for cat in known + extra:
        groups[cat] = [r for r in records if r["category"] == cat]
    return {name: summarise_group(group) for name, group in groups.items()}


def summarise_group(records: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    elapsed = [r["elapsed_ms"] for r in records if r.get("elapsed_ms") is not None]
    lens = [n for r in records for n in r.get("cite_lens", [])]
    out: dict[str, Any] = {"n": len(records)}
    for key, src in (("hit@1", "hit@1"), ("hit@3", "hit@3"), ("hit@5", "hit@5"), ("mrr", "rr"),
                     ("numbers_ok", "numbers_ok"), ("numbers_stated", "numbers_stated"), ("status_ok", "status_ok"),
                     ("verdict_ok", "verdict_ok"), ("false_abstain", "false_abstain"), ("expiry_flagged", "expiry_flagged")):
        out[key] = _mean(r.get(src) for r in records)
    p50, p95 = percentile(elapsed, 50), percentile(elapsed, 95)
    out["p50_ms"] = None if p50 is None else round(p50, 1)
    out["p95_ms"] = None if p95 is None else round(p95, 1)
    out["cite_len_median"] = statistics.median(lens) if lens else None
    out["cite_len_max"] = max(lens) if lens else None
    out["evidence_coverage"] = _mean(r.get("evidence_coverage") for r in records)
    return out


def _with_conclusion(answer: str, conclusion: Any) -> str:
    """The answer, led by the contract's `conclusion` field when the answer has no `结论：` line of its own."""
    if isinstance(conclusion, str) and conclusion.strip() and not _CONCLUSION_LINE.search(answer):
        return f"结论：{conclusion.strip()}\n{answer}"
    return answer


def _mean(values: Iterable[Any]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def _float_or_none(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
