"""The answer card and the conversation (pure HTML and text; no gradio), built from the answer contract.

A citizen reads, in this order: the bold one-line conclusion (the contract's `conclusion`, else its
`结论：` line), a short note when the status is not `answered`, 提示 once, then collapsed 计算过程 and
依据 (at most three clauses: those the tools used or the answer quotes; each with its 《document》 label and
a short quote), the questions to answer or ask next as buttons, and 👍/👎. Tool names, field names,
clause ids and JSON are only rendered with `staff=True` (工作人员模式), inside `.qa-staff` blocks.

Every text that comes from the user, the corpus or the assistant is escaped: a question is shown as plain
text (a markdown image or HTML in it stays text and loads nothing).
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from assistant.conclusion import refusal_conclusion
from ui.labels import plain
from ui.render import STATUS_ZH, clause_href, esc, followup_asks_user, user_display

MAX_SOURCES = 3
MAX_TURNS = 30  # shown and kept in the browser; older turns are dropped
QUOTE_CHARS = 140
HEADS = {"结论：": "conclusion", "条文原文：": "quote", "依据：": "basis", "计算/判断过程：": "steps", "提示：": "tips",
         "如需更准确的判断，请补充：": "asks", "要给出确定结论，还需要了解：": "asks"}
REASONS = ("答非所问", "数字不对", "引用不对", "应该能回答", "其他")
EXAMPLE_QUESTIONS = [
    "技能大赛金奖奖金多少？",
    "硕士研究生首次聘用专业技术岗位可以聘几级？",
    "本科毕业在乡镇工作满几年可以申报中级职称？",
    "企业新型学徒制的培训补贴标准是多少？",
    "市级创业孵化基地认定后有哪些扶持？",
    "人力资源服务机构有哪些奖励政策？",
]
PENDING_TEXT = "正在查找条款…"
# 👍/👎 drawn, not typed: a phone or office PC without an emoji font would show empty boxes.
# (Material Design "thumb_up", Apache-2.0; 👎 is the same icon turned by CSS.)
THUMB_SVG = ('<svg class="qa-thumb" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">'
             '<path fill="currentColor" d="M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06'
             'L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z"/>'
             '</svg>')
DISCLAIMER = "本记录由乌海人才政策助手（离线）生成，仅供参考，以正式文件为准。"


# ---------------------------------------------------------------- reading the contract


def parse_sections(answer: str) -> dict[str, list[str]]:
    """The answer text's sections: conclusion / quote / basis / steps / tips / asks, and `body` for the rest."""
    out: dict[str, list[str]] = {"body": []}
    current = "body"
    for raw in str(answer or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        head = next((h for h in HEADS if line.startswith(h)), None)
        if head:
            current = HEADS[head]
            out.setdefault(current, [])
            rest = line[len(head):].strip()
            if rest:
                out[current].append(rest)
            continue
        if line.startswith(("- ", "• ", "· ")):
            out.setdefault(current, []).append(line[2:].strip())
        elif current in ("conclusion", "quote") and out.get(current):
            out[current][-1] += line  # a wrapped line of the same sentence
        else:
            out["body"].append(line)
            current = "body"
    return out


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", str(text or ""))


def _tool_citations(contract: dict) -> list[str]:
    ids: list[str] = []
    for call in contract.get("tool_calls") or []:
        result = call.get("result") if isinstance(call, dict) else None
        if isinstance(result, dict):
            ids.extend(c for c in result.get("citations") or [] if isinstance(c, str) and c not in ids)
    return ids


@dataclass
class AnswerView:
    status: str
    conclusion: str
    body: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)  # {label, quote, clause_id, full}
    other_sources: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)  # questions to the user
    suggestions: list[str] = field(default_factory=list)  # questions the user may ask next


def _source(cite: dict, quote: str | None) -> dict:
    label = str(cite.get("label") or "")
    document = str(cite.get("document") or "")
    if document and not label.startswith("《"):
        label = f"《{document}》{label}"
    text = str(cite.get("text") or "")
    short = quote or text
    if len(short) > QUOTE_CHARS:
        short = short[:QUOTE_CHARS].rstrip() + "…"
    return {"label": label or "相关条款", "quote": short, "clause_id": str(cite.get("clause_id") or ""),
            "full": short != text}


def answer_view(contract: dict) -> AnswerView:
    status = str(contract.get("status") or "error")
    sections = parse_sections(contract.get("answer") or "")
    body = list(sections.get("body") or [])
    conclusion = str(contract.get("conclusion") or "").strip()
    if not conclusion and sections.get("conclusion"):
        conclusion = sections["conclusion"][0]
    quotes = [q for q in sections.get("quote") or [] if q]
    if not conclusion and body:
        first = body.pop(0)
        conclusion = refusal_conclusion(first) if status == "out_of_scope" else first
        quoted = re.search(r"：“(.*)”，没有写明", first) if status == "out_of_scope" else None
        if quoted:  # the words the refusal quotes are the source's quote
            quotes.append(quoted.group(1).rstrip("…"))
    if not conclusion:
        conclusion = STATUS_ZH.get(status) or "暂时无法回答。"

    tool_ids = _tool_citations(contract)
    cites = [c for c in contract.get("citations") or [] if isinstance(c, dict)]
    key, rest = [], []
    for cite in cites:
        text = _norm(cite.get("text"))
        quoted = next((q for q in quotes if _norm(q) and _norm(q)[:40] in text), None)
        if cite.get("clause_id") in tool_ids or quoted:
            key.append(_source(cite, quoted))
        else:
            rest.append(_source(cite, None))
    if not key:
        key, rest = rest[:MAX_SOURCES], rest[MAX_SOURCES:]
    sources, other = key[:MAX_SOURCES], key[MAX_SOURCES:] + rest

    steps = [s for s in sections.get("steps") or [] if s]
    if not steps:
        for call in contract.get("tool_calls") or []:
            result = call.get("result") if isinstance(call, dict) else None
            if isinstance(result, dict):
                steps.extend(str(s.get("text_zh")) for s in result.get("steps") or [] if isinstance(s, dict) and s.get("text_zh"))
            if steps:
                break

    warnings: list[str] = []
    for w in [*(contract.get("warnings") or []), *(sections.get("tips") or [])]:
        w = str(w).strip()
        if w and not any(_norm(w) in _norm(x) or _norm(x) in _norm(w) for x in warnings):
            warnings.append(w)

    follow = [str(q) for q in contract.get("follow_up_questions") or [] if str(q).strip()]
    asks = [q for q in follow if followup_asks_user(q, status)]
    suggestions = [q for q in follow if q not in asks]
    if not follow and sections.get("asks"):
        body.extend(f"请补充：{a}" for a in sections["asks"])
    return AnswerView(status=status, conclusion=plain(conclusion), body=[plain(b) for b in body], steps=[plain(s) for s in steps],
                      sources=sources, other_sources=other, warnings=[plain(w) for w in warnings],
                      asks=[plain(a) for a in asks], suggestions=suggestions)


# ---------------------------------------------------------------- turns


def new_turn(question: str, contract: dict, as_of: str | None, asked_at: str) -> dict:
    return {"id": uuid.uuid4().hex, "question": question, "contract": contract, "as_of": as_of, "at": asked_at,
            "vote": None, "reason": None, "vote_error": ""}


def compact_contract(contract: dict) -> dict:
    """What the browser keeps of an answer (local storage is small): everything the card shows — the
    text of the clauses it quotes, the labels of the others, tool results without their values and traces."""
    out = {k: contract.get(k) for k in ("id", "question", "status", "conclusion", "answer", "warnings",
                                        "follow_up_questions", "elapsed_ms") if k in contract}
    shown = {s["clause_id"] for s in answer_view(contract).sources}
    out["citations"] = [{k: c.get(k) for k in ("clause_id", "document", "label", "text") if k != "text" or c.get("clause_id") in shown}
                        for c in (contract.get("citations") or [])[:8] if isinstance(c, dict)]
    calls = []
    for call in contract.get("tool_calls") or []:
        if not isinstance(call, dict):
            continue
        result = call.get("result") if isinstance(call.get("result"), dict) else {}
        calls.append({"name": call.get("name"), "arguments": call.get("arguments"),
                      "result": {k: result.get(k) for k in ("outcome", "summary_zh", "citations", "as_of") if k in result}})
    out["tool_calls"] = calls
    return out


def stored_turns(turns: list[dict]) -> list[dict]:
    """The conversation as the browser stores it: the last MAX_TURNS turns, contracts compacted."""
    return [{**t, "contract": compact_contract(t.get("contract") or {})} for t in turns[-MAX_TURNS:]]


def restore_turns(stored: Any) -> list[dict]:
    """Turns read back from the browser, checked (it is data from the client)."""
    if not isinstance(stored, list):
        return []
    turns = []
    for t in stored[-MAX_TURNS:]:
        if not isinstance(t, dict) or not isinstance(t.get("contract"), dict) or not isinstance(t.get("question"), str):
            continue
        turn_id = str(t.get("id") or "")
        if not re.fullmatch(r"[0-9a-f]{32}", turn_id):
            turn_id = uuid.uuid4().hex
        vote = t.get("vote") if t.get("vote") in ("up", "down") else None
        reason = t.get("reason") if t.get("reason") in REASONS else None
        turns.append({"id": turn_id, "question": t["question"][:5000], "contract": t["contract"],
                      "as_of": str(t.get("as_of") or "")[:10] or None, "at": str(t.get("at") or "")[:16],
                      "vote": vote, "reason": reason, "vote_error": ""})
    return turns


# ---------------------------------------------------------------- HTML


def _chip(text: str, action: str, **data: str) -> str:
    attrs = "".join(f' data-{k}="{esc(v)}"' for k, v in data.items())
    return f'<button type="button" class="qa-chip" data-action="{action}" data-q="{esc(text)}"{attrs}>{esc(text)}</button>'


def _feedback_html(turn: dict) -> str:
    tid = esc(turn["id"])
    vote, reason = turn.get("vote"), turn.get("reason")

    def button(rating: str, text: str) -> str:
        pressed = "true" if vote == rating else "false"
        return (f'<button type="button" class="qa-vote qa-vote-{rating}" data-action="vote" data-turn="{tid}" '
                f'data-rating="{rating}" aria-pressed="{pressed}">{THUMB_SVG}{text}</button>')

    parts = ['<div class="qa-feedback" role="group" aria-label="对这个回答的评价">',
             '<span class="qa-feedback-q">这个回答有帮助吗？</span>',
             button("up", "有帮助"), button("down", "没帮助")]
    if turn.get("vote_error"):
        parts.append(f'<div class="qa-feedback-note qa-error" role="alert">{esc(turn["vote_error"])}</div>')
    elif vote == "up":
        parts.append('<div class="qa-feedback-note" role="status">已记录：有帮助。谢谢您的反馈！</div>')
    elif vote == "down" and not reason:
        chips = "".join(f'<button type="button" class="qa-chip qa-reason" data-action="reason" data-turn="{tid}" '
                        f'data-reason="{esc(r)}">{esc(r)}</button>' for r in REASONS)
        parts.append(f'<div class="qa-feedback-note" role="status">已记录：没帮助。可以告诉我们原因吗？（可选）</div>'
                     f'<div class="qa-reasons">{chips}</div>')
    elif vote == "down":
        parts.append(f'<div class="qa-feedback-note" role="status">已记录：没帮助（{esc(reason)}）。谢谢您的反馈，我们会改进。</div>')
    parts.append("</div>")
    return "".join(parts)


def _staff_html(contract: dict, tool_titles: dict[str, str], field_labels: dict[str, dict[str, str]]) -> str:
    """工作人员模式: status code, tool calls (name, arguments by label and key, result JSON), every citation with its id."""
    rows = [f"<div>状态：<code>{esc(contract.get('status'))}</code> · 用时 {esc(contract.get('elapsed_ms'))} 毫秒</div>"]
    for call in contract.get("tool_calls") or []:
        if not isinstance(call, dict):
            continue
        name = str(call.get("name") or "")
        labels = field_labels.get(name, {})
        args = "".join(f"<li>{esc(labels.get(k, k))}（<code>{esc(k)}</code>）：{esc(json.dumps(v, ensure_ascii=False))}</li>"
                       for k, v in (call.get("arguments") or {}).items())
        result = json.dumps(call.get("result"), ensure_ascii=False, indent=1, default=str)
        rows.append(f'<details class="qa-staff-call"><summary>工具：{esc(tool_titles.get(name, name))}（<code>{esc(name)}</code>）</summary>'
                    f'<ul>{args}</ul><pre class="qa-json">{esc(result)}</pre></details>')
    cites = "".join(f"<li><code>{esc(c.get('clause_id'))}</code> {esc(c.get('label'))}</li>"
                    for c in contract.get("citations") or [] if isinstance(c, dict))
    if cites:
        rows.append(f"<div>全部引用条款（按相关度）：<ol>{cites}</ol></div>")
    rows.append(f'<details class="qa-staff-call"><summary>回答原文</summary><pre class="qa-json">{esc(contract.get("answer"))}</pre></details>')
    return f'<details class="qa-staff qa-staffbox"><summary>工作人员信息</summary>{"".join(rows)}</details>'


def turn_html(turn: dict, *, last: bool = False, focus: str | None = None, staff: bool = False,
              tool_titles: dict[str, str] | None = None, field_labels: dict[str, dict[str, str]] | None = None) -> str:
    contract = turn.get("contract") or {}
    view = answer_view(contract)
    tid = esc(turn.get("id"))
    parts = [f'<article class="qa-turn" id="turn-{tid}" data-turn="{tid}"' + (f' data-focus="{esc(focus)}"' if focus else "") + ">",
             f'<div class="qa-q"><span class="qa-sr">您的问题：</span><p class="qa-q-text">{esc(user_display(turn.get("question") or ""))}</p></div>',
             f'<section class="qa-a qa-status-{esc(view.status)}" aria-label="回答">']
    note = STATUS_ZH.get(view.status, "")
    if note:
        parts.append(f'<p class="qa-note">{esc(note)}</p>')
    parts.append(f'<p class="qa-conclusion" tabindex="-1"><strong>{esc(view.conclusion)}</strong></p>')
    if view.body:
        parts.append('<div class="qa-body">' + "".join(f"<p>{esc(line)}</p>" for line in view.body) + "</div>")
    if view.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in view.warnings)
        parts.append(f'<div class="qa-warning" role="note"><b>提示</b><ul>{items}</ul></div>')
    if view.steps:
        items = "".join(f"<li>{esc(s)}</li>" for s in view.steps)
        parts.append(f'<details class="qa-sec"><summary>计算过程</summary><ol class="qa-steps">{items}</ol></details>')
    if view.sources:
        items = []
        for src in view.sources:
            more = (f'<a class="qa-open" href="{esc(clause_href(src["clause_id"]))}" target="_blank" rel="noopener">查看条文全文</a>'
                    if src["clause_id"] else "")
            items.append(f'<li class="qa-src"><div class="qa-src-label">{esc(src["label"])}</div>'
                         f'<blockquote class="qa-quote">“{esc(src["quote"])}”</blockquote>{more}</li>')
        parts.append(f'<details class="qa-sec"><summary>依据（{len(view.sources)}条）</summary><ul class="qa-srcs">{"".join(items)}</ul></details>')
    if last and view.asks:
        title = "还需要您补充（点击后在下方输入框中回答）：" if view.status == "needs_more_info" else "如需更准确的判断，请补充（点击后在下方输入框中回答）："
        chips = "".join(_chip(q, "hint") for q in view.asks)
        parts.append(f'<div class="qa-followups"><div class="qa-followups-title">{esc(title)}</div>{chips}</div>')
    elif view.asks:
        parts.append('<div class="qa-body"><p>' + esc("还可补充：" + "；".join(view.asks)) + "</p></div>")
    if last and view.suggestions:
        chips = "".join(_chip(q, "ask") for q in view.suggestions)
        parts.append(f'<div class="qa-followups"><div class="qa-followups-title">您可能还想问：</div>{chips}</div>')
    if view.status != "error":
        parts.append(_feedback_html(turn))
    meta = "；".join(x for x in (f"提问时间 {turn['at']}" if turn.get("at") else "",
                                 f"政策基准日期 {turn['as_of']}" if turn.get("as_of") else "") if x)
    if meta:
        parts.append(f'<div class="qa-meta">{esc(meta)}</div>')
    if staff:
        parts.append(_staff_html(contract, tool_titles or {}, field_labels or {}))
    parts.append("</section></article>")
    return "".join(parts)


def empty_html() -> str:
    chips = "".join(_chip(q, "ask") for q in EXAMPLE_QUESTIONS)
    return ('<div class="qa-empty"><p class="qa-welcome"><strong>您好！我可以解答《2023年乌海市技术技能人才支持政策汇编》中的问题。</strong></p>'
            '<p>每个回答先给结论，再附依据条款；金额、等级等数字来自条文原文或政策计算。</p>'
            f'<div class="qa-followups"><div class="qa-followups-title">试试这些问题：</div>{chips}</div></div>')


def pending_html(question: str, focus: str | None = None) -> str:
    attr = f' data-focus="{esc(focus)}"' if focus else ""
    return (f'<article class="qa-turn qa-pending"{attr}><div class="qa-q"><span class="qa-sr">您的问题：</span>'
            f'<p class="qa-q-text">{esc(user_display(question))}</p></div>'
            f'<section class="qa-a" role="status"><span class="qa-spinner" aria-hidden="true"></span>{PENDING_TEXT}</section></article>')


def conversation_html(turns: list[dict], *, pending: str | None = None, focus: str | None = None, staff: bool = False,
                      tool_titles: dict[str, str] | None = None, field_labels: dict[str, dict[str, str]] | None = None,
                      notice: str = "") -> str:
    """The whole conversation. `focus` marks the element the page scrolls to (the pending question, or the
    newest answer); a render without it (a vote, a reload) leaves the scroll position alone."""
    shown = turns[-MAX_TURNS:]
    parts = ['<div class="qa-conv">']
    if notice:
        parts.append(f'<div class="qa-notice" role="status">{esc(notice)}</div>')
    if not shown and pending is None:
        parts.append(empty_html())
    for n, turn in enumerate(shown):
        is_last = n == len(shown) - 1 and pending is None
        parts.append(turn_html(turn, last=is_last, focus=focus if is_last else None, staff=staff,
                               tool_titles=tool_titles, field_labels=field_labels))
    if pending is not None:
        parts.append(pending_html(pending, focus))
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- text (copy, export, print)


def answer_text(contract: dict) -> str:
    """One answer as plain text: conclusion, explanation, 提示, 计算过程, 依据 with quotes."""
    view = answer_view(contract)
    lines = [f"结论：{view.conclusion}", *view.body]
    if view.warnings:
        lines.append("提示：" + "；".join(view.warnings))
    if view.steps:
        lines.append("计算过程：")
        lines.extend(f"  {n}. {s}" for n, s in enumerate(view.steps, 1))
    if view.sources:
        lines.append("依据：")
        lines.extend(f"  {s['label']}：“{s['quote']}”" for s in view.sources)
    if view.asks:
        lines.append("还可补充：" + "；".join(view.asks))
    return "\n".join(lines)


def conversation_text(turns: list[dict], exported_at: str = "") -> str:
    """The conversation as a plain-text record to print or bring to a counter."""
    head = "乌海人才政策助手 · 本次问答记录" + (f"（导出时间 {exported_at}）" if exported_at else "")
    blocks = [head, "=" * 20]
    for n, turn in enumerate(turns, 1):
        meta = "；".join(x for x in (turn.get("at") or "", f"政策基准日期 {turn['as_of']}" if turn.get("as_of") else "") if x)
        blocks.append(f"【第{n}问】{turn.get('question', '').strip()}" + (f"（{meta}）" if meta else ""))
        blocks.append(answer_text(turn.get("contract") or {}))
        blocks.append("")
    blocks.append(DISCLAIMER)
    return "\n".join(blocks)
