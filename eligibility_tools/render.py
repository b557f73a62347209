"""Plain-text rendering of a tool result, shared by the CLI and the assistant's answer composer."""

from __future__ import annotations

from eligibility_tools.base import OUTCOME_ZH, ToolResult


def render_result(result: ToolResult) -> str:
    from corpus.loader import load_corpus

    corpus = load_corpus()
    lines = [f"【{OUTCOME_ZH[result.outcome]}】{result.summary_zh}"]
    if result.steps:
        lines.append("计算/判断过程：")
        for n, step in enumerate(result.steps, 1):
            lines.append(f"  {n}. {step.text_zh}")
    if result.missing_facts:
        lines.append("还需要了解：")
        lines.extend(f"  - {m.question_zh}" for m in result.missing_facts)
    if result.warnings:
        lines.append("提示：")
        lines.extend(f"  ! {w}" for w in result.warnings)
    if result.citations:
        lines.append("依据：")
        for cid in result.citations:
            label = corpus.clauses[cid].label if cid in corpus.clauses else cid
            lines.append(f"  - {label}（{cid}）")
    lines.append(f"（按 {result.as_of.isoformat()} 的政策计算）")
    return "\n".join(lines)
