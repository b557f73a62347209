"""HTML for the calculator results and the clause browser, and helpers the answer card (ui/answer.py) shares.

Pure string building (no gradio), so it is unit-tested without a server. Every piece of text that
comes from the corpus, the assistant or the user is escaped here; the only markup is ours.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote

OUTCOME_ZH = {
    "eligible": "符合条件",
    "not_eligible": "不符合条件",
    "needs_info": "需要补充信息",
    "not_in_force": "政策已不在执行期内",
    "ambiguous": "条文存在两种理解",
    "computed": "计算结果",
}
STATUS_ZH = {
    "answered": "",
    "needs_more_info": "还需要您补充信息",
    "out_of_scope": "汇编中没有这项内容",
    "error": "无法回答",
}


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def clause_href(clause_id: str) -> str:
    return f"?clause={quote(clause_id, safe='/')}"


def clause_link(clause_id: str, text: str, new_tab: bool = False) -> str:
    """A link that opens the clause in 条款浏览; in-page clicks are intercepted (no reload)."""
    target = ' target="_blank" rel="noopener"' if new_tab else ""
    return f'<a class="qa-clause-link" href="{esc(clause_href(clause_id))}" data-clause="{esc(clause_id)}"{target}>{esc(text)}</a>'


def _multiline(text: str) -> str:
    return "<br>".join(esc(line) for line in str(text).splitlines())


# ---------------------------------------------------------------- chat


def user_display(question: str, limit: int = 300) -> str:
    """How a question appears in the chat: long pastes are shortened, blanks are named."""
    if not question or not question.strip():
        return "（空白问题）"
    text = question.strip()
    if len(text) > limit:
        return f"{text[:limit]}…（共 {len(text)} 字，已截断显示）"
    return text


def _short_label(label: str, document: str) -> str:
    """《文件》第十八条 -> 第十八条 (the document is shown next to it anyway)."""
    stripped = re.sub(r"^《[^》]*》", "", label or "").strip()
    return stripped or label or document


def warnings_html(warnings: list[str]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return f'<div class="qa-warning" role="note"><b>提示</b><ul>{items}</ul></div>'


_ASKS_USER = re.compile(r"^(请问|请|麻烦)|您")


def followup_asks_user(question: str, status: str = "") -> bool:
    """Is this follow-up a question *to the user* (answer it) rather than one the user may ask next?

    The assistant uses follow_up_questions both ways: "您的硕士/博士学历是全日制的吗？" asks the user
    for a fact (even on an `answered` answer, to sharpen it), "银奖奖金多少？" suggests a next question.
    """
    return status == "needs_more_info" or bool(_ASKS_USER.search(question or ""))


# ---------------------------------------------------------------- tool results


MATCH_SECTIONS = [("applies", "可以享受", "qa-match-applies"), ("nearly", "差一点或待确认", "qa-match-nearly"),
                  ("expired", "已过执行期", "qa-match-expired"), ("not_eligible", "不符合", "qa-match-no")]


def _money(value: Any) -> str:
    from ui.labels import scalar_text

    return scalar_text(value, "yuan")


def _plain(text: Any) -> str:
    from ui.labels import plain

    return plain(text)


def _cite_links(clause_ids: list[str], labels: dict[str, str], new_tab: bool = False) -> list[str]:
    """Links to cited clauses by their Chinese labels (a clause without one is not shown by its id)."""
    return [clause_link(c, labels[c], new_tab=new_tab) for c in clause_ids if labels.get(c)]


def match_html(value: dict, labels: dict[str, str] | None = None) -> str:
    """A policy_match value: every support the profile qualifies for, nearly qualifies for, or lost to expiry."""
    labels = labels or {}
    parts = []
    for key, title, cls in MATCH_SECTIONS:
        items = value.get(key) or []
        if not items:
            continue
        lis = []
        for item in items:
            amount = f"<span class='qa-amount'>{esc(_money(item['amount_yuan']))}</span> " if item.get("amount_yuan") else ""
            missing = "".join(f"<li>{esc(m.get('question_zh', ''))}</li>" for m in item.get("missing_facts") or [])
            missing_html = f"<ul class='qa-match-missing'>{missing}</ul>" if missing else ""
            cites = "、".join(_cite_links(item.get("citations") or [], labels))
            lis.append(f"<li><b>{esc(item.get('label') or '政策')}</b>：{amount}{esc(_plain(item.get('summary_zh', '')))}"
                       f"{missing_html}{f'<div class=qa-params>依据：{cites}</div>' if cites else ''}</li>")
        parts.append(f'<div class="qa-match {cls}"><b>{esc(title)}（{len(items)}项）</b><ul>{"".join(lis)}</ul></div>')
    if value.get("total_computable_yuan"):
        parts.append(f'<div class="qa-value">可计算的金额合计：{esc(_money(value["total_computable_yuan"]))}</div>')
    return "".join(parts) or '<div class="qa-muted">没有匹配到政策，请补充更多情况。</div>'


def match_citations(value: dict) -> list[str]:
    out: list[str] = []
    for key, _, _ in MATCH_SECTIONS:
        for item in value.get(key) or []:
            out.extend(c for c in item.get("citations") or [] if c not in out)
    return out


def is_match_value(value: Any) -> bool:
    return isinstance(value, dict) and {"applies", "nearly"} <= set(value)


def value_html(value: Any, labels: dict[str, str] | None = None, inputs: dict[str, str] | None = None) -> str:
    """The result's fields, each by its one Chinese label (ui/result_labels.yaml or the tool's input schema);
    internal fields are left to 工作人员模式's JSON."""
    from ui.labels import scalar_text, value_rows

    if value is None:
        return ""
    if is_match_value(value):
        return match_html(value, labels)
    if isinstance(value, dict):
        rows = "".join(f"<tr><th scope='row'>{esc(label)}</th><td>{text}</td></tr>" for label, text in value_rows(value, inputs))
        return f'<table class="qa-kv qa-value">{rows}</table>' if rows else ""
    if isinstance(value, list):
        return ""  # lists of records are described by the summary and steps; the JSON has them for staff
    return f'<div class="qa-value">{esc(scalar_text(value))}</div>'


def tool_result_html(result: dict, labels: dict[str, str] | None = None, compact: bool = False,
                     inputs: dict[str, str] | None = None, tool_title: str = "") -> str:
    """A ToolResult (its `to_json()` dict) for citizens: outcome and summary first, the fields by their
    Chinese labels, the steps, what is still missing, 提示 and the cited clauses by label. Tool and parameter
    names and the raw JSON sit in `.qa-staff` blocks that only 工作人员模式 shows."""
    from ui.labels import plain

    labels = labels or {}
    outcome = result.get("outcome", "")
    parts = [f'<div class="qa-result qa-outcome-{esc(outcome)}">',
             f'<p class="qa-outcome"><span class="qa-badge">{esc(OUTCOME_ZH.get(outcome, outcome))}</span> '
             f'<strong class="qa-summary">{esc(plain(result.get("summary_zh", "")))}</strong></p>']
    if not compact:
        parts.append(value_html(result.get("value"), labels, inputs))
    steps = result.get("steps") or []
    if steps:
        items = "".join(f"<li>{esc(plain(s.get('text_zh', '')))}{_params_html(s)}</li>" for s in steps)
        parts.append(f'<div class="qa-steps"><b>计算/判断过程</b><ol>{items}</ol></div>')
    missing = result.get("missing_facts") or []
    if missing:
        items = "".join(f"<li>{esc(plain(m.get('question_zh', '')))}<span class='qa-why'>（{esc(plain(m.get('why', '')))}）</span></li>"
                        for m in missing)
        parts.append(f'<div class="qa-missing"><b>还需要了解</b><ul>{items}</ul></div>')
    parts.append(warnings_html([plain(w) for w in result.get("warnings") or []]))
    links = _cite_links(result.get("citations") or [], labels, new_tab=compact)
    if links:
        parts.append(f'<div class="qa-result-cites"><b>依据条款</b><ul>{"".join(f"<li>{x}</li>" for x in links)}</ul></div>')
    if result.get("as_of"):
        parts.append(f'<div class="qa-asof">（按 {esc(result["as_of"])} 的政策计算）</div>')
    raw = json.dumps(result, ensure_ascii=False, indent=1, default=str)
    name = result.get("tool") or ""
    parts.append(f'<details class="qa-staff qa-staffbox"><summary>工作人员信息：工具 {esc(tool_title)}（<code>{esc(name)}</code>）返回的 JSON</summary>'
                 f'<pre class="qa-json">{esc(raw)}</pre></details>')
    parts.append("</div>")
    return "".join(p for p in parts if p)


def _params_html(step: dict) -> str:
    """The clause wording each parameter comes from; the parameter's name is for staff only."""
    used = step.get("parameters_used") or []
    bits = []
    for p in used:
        name = f'<span class="qa-staff"><code>{esc(p.get("name", ""))}</code> </span>'
        if p.get("quote"):
            bits.append(f"{name}“{esc(p.get('quote'))}”")
        else:
            bits.append(name)
    if not bits:
        return ""
    if not any(p.get("quote") for p in used):
        return f'<div class="qa-params qa-staff">参数：{"；".join(bits)}</div>'
    return f'<div class="qa-params">条文：{"；".join(bits)}</div>'


_GRADE_KEY = re.compile(r"(级|grade|等级)", re.IGNORECASE)
_COUNT_KEYS = ("posts", "count", "quota", "number", "岗位数", "数量", "职数")


def quota_chart_rows(result: dict) -> list[dict]:
    """Posts per grade for the bar chart, from a post_structure_quota result's value.

    The tool gives per-grade counts under `*_grades.grades` / `grade_split.grades`, the 正高级/副高级
    split of the senior posts as [min, max] ranges (`senior_split`), and the 高级/中级/初级 totals
    (`structure`). Bars: the per-grade counts, senior ranges labelled with their range and drawn at
    their minimum; the level totals only when no per-grade figure exists. Other shapes: any
    `{grade: count}` mapping or list of `{grade, posts}` rows. Returns `[{"岗位等级", "岗位数"}]`, [] if none.
    """
    value = result.get("value")
    if isinstance(value, dict):
        rows: list[dict] = []
        senior = value.get("senior_split")
        if isinstance(senior, dict):
            for level, span in senior.items():
                if isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span):
                    low, high = span
                    rows.append({"岗位等级": level if low == high else f"{level}（{low}–{high}）", "岗位数": low})
        for key in ("senior_grades", "intermediate_grades", "junior_grades", "grade_split"):
            grades = value.get(key, {}).get("grades") if isinstance(value.get(key), dict) else None
            if isinstance(grades, dict):
                rows.extend({"岗位等级": str(k), "岗位数": int(v)} for k, v in grades.items() if isinstance(v, int))
        if any(not r["岗位等级"].endswith("）") for r in rows):
            return rows
        structure = value.get("structure")
        if isinstance(structure, dict):
            levels = [{"岗位等级": f"{k}岗位", "岗位数": int(v)} for k, v in structure.items()
                      if k != "remainder" and isinstance(v, int)]
            if levels:
                return levels
        if rows:
            return rows
    return _find_grade_counts(value, depth=0)


def _find_grade_counts(node: Any, depth: int) -> list[dict]:
    if depth > 3 or node is None:
        return []
    if isinstance(node, dict):
        counts = {k: v for k, v in node.items() if k != "remainder"}
        if counts and all(isinstance(v, int) and not isinstance(v, bool) for v in counts.values()) \
                and sum(bool(_GRADE_KEY.search(str(k))) for k in counts) >= max(1, len(counts) // 2):
            return [{"岗位等级": str(k), "岗位数": int(v)} for k, v in counts.items()]
        for child in node.values():
            rows = _find_grade_counts(child, depth + 1)
            if rows:
                return rows
        return []
    if isinstance(node, list) and node and all(isinstance(r, dict) for r in node):
        rows = []
        for r in node:
            grade = next((r[k] for k in r if _GRADE_KEY.search(k) and not isinstance(r[k], bool)), None)
            count = next((r[k] for k in _COUNT_KEYS if isinstance(r.get(k), int) and not isinstance(r.get(k), bool)), None)
            if grade is None or count is None:
                return []
            rows.append({"岗位等级": str(grade), "岗位数": int(count)})
        return rows
    return []


def error_html(message: str) -> str:
    return f'<div class="qa-error">{esc(message)}</div>'


# ---------------------------------------------------------------- clause browser


def highlight(text: str, terms: list[str]) -> str:
    """Escape `text` and wrap every occurrence of any term in <mark> (longest term first)."""
    terms = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not terms:
        return _multiline(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms))
    out = []
    for line in str(text).splitlines():
        pieces, last = [], 0
        for m in pattern.finditer(line):
            pieces.append(esc(line[last:m.start()]))
            pieces.append(f"<mark>{esc(m.group(0))}</mark>")
            last = m.end()
        pieces.append(esc(line[last:]))
        out.append("".join(pieces))
    return "<br>".join(out)


def search_results_html(query: str, results: list[Any], terms: list[str]) -> str:
    if not query.strip():
        return '<div class="qa-muted">请输入关键词，例如“技能大赛 奖金”“中级职称 评审条件”。</div>'
    if not results:
        return f'<div class="qa-muted">没有找到与“{esc(query)}”相关的条款。</div>'
    items = []
    for r in results:
        items.append(
            '<div class="qa-hit">'
            f'<div class="qa-hit-head">{clause_link(r.clause_id, _short_label(r.label, r.document))} '
            f'<span class="qa-cite-doc">《{esc(r.document)}》</span></div>'
            f'<div class="qa-hit-text">{highlight(_snippet(r.text, terms), terms)}</div></div>'
        )
    return f'<div class="qa-hits"><div class="qa-muted">“{esc(query)}”的检索结果（{len(results)} 条）</div>{"".join(items)}</div>'


def _snippet(text: str, terms: list[str], width: int = 160) -> str:
    """The part of a long clause around its first match."""
    if len(text) <= width * 2:
        return text
    first = min((i for i in (text.find(t) for t in terms if t) if i >= 0), default=0)
    start = max(0, first - width // 3)
    return ("…" if start else "") + text[start:start + width * 2] + "…"


def clause_tree_html(corpus: Any, doc_slug: str, selected: str | None = None) -> str:
    """The document's clauses as a nested list of links (data-clause drives the in-page click)."""
    root = corpus.clauses.get(doc_slug)
    if root is None:
        return '<div class="qa-muted">请选择文件。</div>'

    def node(clause_id: str, depth: int) -> str:
        clause = corpus.clauses[clause_id]
        name = _tree_name(clause)
        cls = ' class="qa-selected"' if clause_id == selected else ""
        kids = "".join(node(c, depth + 1) for c in clause.children) if depth < 6 else ""
        inner = f"<ul>{kids}</ul>" if kids else ""
        return f"<li{cls}>{clause_link(clause_id, name)}{inner}</li>"

    children = "".join(node(c, 1) for c in root.children)
    return (f'<div class="qa-tree"><div class="qa-tree-title">{clause_link(doc_slug, root.label or root.title or "本文件")}</div>'
            f"<ul>{children}</ul></div>")


def _tree_name(clause: Any) -> str:
    head = " ".join(x for x in (clause.number, clause.title) if x)
    if head and clause.title:
        return head
    first = clause.text.splitlines()[0] if clause.text else ""
    first = first[len(clause.number):].strip() if clause.number and first.startswith(clause.number) else first
    snippet = first[:24] + ("…" if len(first) > 24 else "")
    return f"{head} {snippet}".strip() or "（无标题）"


def clause_detail_html(corpus: Any, clause_id: str, terms: list[str] | None = None) -> str:
    clause = corpus.clauses.get(clause_id)
    if clause is None:
        shown = clause_id if len(clause_id) <= 40 else clause_id[:40] + "…"
        return error_html(f"未找到条款“{shown}”。请从目录中选择，或使用上方的检索。")
    doc = corpus.document(clause.doc_slug)
    crumbs = " › ".join(esc(p) for p in clause.path)
    parent = (f'<div class="qa-parent">上级：{clause_link(clause.parent_id, _tree_name(corpus.clauses[clause.parent_id]))}</div>'
              if clause.parent_id and clause.parent_id in corpus.clauses else "")
    validity = ""
    if clause.valid_until or doc.valid_until:
        until = clause.valid_until or doc.valid_until
        validity = f'<div class="qa-warning">有效期：截至 {esc(until.isoformat())}（不含当日）{esc(clause.validity_quote or "")}</div>'
    body = highlight(clause.text, terms or [])
    kids = []
    if clause.kind == "root":
        # a whole document is thousands of pixels on a phone: its parts, each one tap away
        items = "".join(f"<li>{clause_link(cid, _tree_name(corpus.clauses[cid]))}</li>" for cid in clause.children)
        return (f'<div class="qa-clause" data-clause="{esc(clause_id)}">'
                f'<div class="qa-clause-label">{esc(clause.label)}</div>{validity}'
                f'<p class="qa-muted">本文件共 {len(clause.children)} 个部分。点击下面的部分或左侧目录中的条款阅读原文，也可以在上方检索。</p>'
                f'<ul class="qa-doc-parts">{items}</ul>'
                f'<div class="qa-clause-id qa-staff">条款编号：<code>{esc(clause_id)}</code></div></div>')
    for cid in corpus.descendants(clause_id):
        child = corpus.clauses[cid]
        depth = len(child.path) - len(clause.path)
        kids.append(f'<div class="qa-child" style="margin-left:{max(0, depth) * 1.2:.1f}em">'
                    f'{clause_link(cid, child.number or "·")} {highlight(child.text[len(child.number):] if child.text.startswith(child.number) else child.text, terms or [])}</div>')
    children = f'<div class="qa-children">{"".join(kids)}</div>' if kids else ""
    return (f'<div class="qa-clause" data-clause="{esc(clause_id)}">'
            f'<div class="qa-clause-label">{esc(clause.label)}</div>'
            f'<div class="qa-crumbs">《{esc(doc.title)}》 {crumbs}</div>{parent}{validity}'
            f'<div class="qa-clause-text">{body}</div>{children}'
            f'<div class="qa-clause-id qa-staff">条款编号：<code>{esc(clause_id)}</code> · 链接：'
            f'<a href="{esc(clause_href(clause_id))}" target="_blank" rel="noopener">{esc(clause_href(clause_id))}</a></div></div>')
