"""`policy-qa ask` and `policy-qa chat`. Top-level imports: click and the standard library only."""

from __future__ import annotations

import json
import sys
import uuid
from datetime import date

import click

from eligibility_tools.cli import parse_as_of


def _render(result: dict) -> str:
    lines = [result["answer"]]
    if result.get("citations"):
        lines.append("")
        lines.append("引用条款：")
        for n, c in enumerate(result["citations"], 1):
            lines.append(f"  [{n}] {c['label']}（{c['clause_id']}）")
    if result.get("follow_up_questions") and result.get("status") == "needs_more_info":
        lines.append("")
        lines.append("请补充：" + "；".join(result["follow_up_questions"]))
    return "\n".join(lines)


@click.command("ask")
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="输出回答契约 JSON（DESIGN.md）")
@click.option("--as-of", "as_of", default=None, help="按哪一天的政策回答，YYYY-MM-DD（默认今天）")
@click.option("--batch", "batch", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="JSONL 文件（每行 {\"id\", \"question\"}，可带 \"session_id\"：同一 session_id 的行按文件顺序作为一段多轮对话），每行输出一个回答 JSON")
@click.option("--mode", type=click.Choice(["deterministic", "llm"]), default=None, help="回答模式（默认读取 POLICY_QA_MODE）")
def ask(question: str | None, as_json: bool, as_of: str | None, batch: str | None, mode: str | None) -> None:
    """提问并获得带条款引用的回答。"""
    day = parse_as_of(as_of)
    from assistant.service import get_assistant

    assistant = get_assistant(mode)
    if batch:
        _run_batch(assistant, batch, day)
        return
    if question is None:
        question = ""
    result = assistant.ask(question, as_of=day)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(_render(result) if result["status"] != "error" else f"错误：{result['answer']}", err=result["status"] == "error")
    if result["status"] == "error":
        sys.exit(2)


def _run_batch(assistant, path: str, day: date | None) -> None:
    """One contract object per input line, flushed per line; a bad line is an error object, never the end of the batch.

    Lines sharing a `session_id` are one conversation, asked in file order (a follow-up like "那硕士呢？" is read
    against the earlier lines of its session); lines without one are independent questions.
    """
    with click.open_file(path, "r", encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            raw = raw.strip()
            if not raw:
                continue
            out = _batch_line(assistant, raw, lineno, day)
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            sys.stdout.flush()


def _batch_line(assistant, raw: str, lineno: int, day: date | None) -> dict:
    try:
        item = json.loads(raw)
        if not isinstance(item, dict):
            raise ValueError("not an object")
    except ValueError:
        return _error_line(None, raw, f"第{lineno}行不是合法的 JSON 对象（需要 {{\"id\", \"question\"}}）。")
    session_id = item.get("session_id")
    if isinstance(session_id, bool) or not isinstance(session_id, str | int | None):
        return _error_line(item.get("id"), item.get("question", ""),
                           f"第{lineno}行的 session_id 应为字符串（同一段对话的各行使用同一个 session_id）。")
    item_day = day
    if item.get("as_of"):
        try:
            item_day = date.fromisoformat(str(item["as_of"]))
        except ValueError:
            item_day = day
    return assistant.ask(item.get("question", ""), as_of=item_day, id=item.get("id"),
                         session_id=None if session_id is None else str(session_id))


def _error_line(id_, question, message: str) -> dict:
    return {"id": id_, "question": question if isinstance(question, str) else str(question), "status": "error",
            "answer": message, "citations": [], "tool_calls": [], "warnings": [], "follow_up_questions": [], "elapsed_ms": 0.0}


_EXIT_WORDS = {"退出", "exit", "quit", "再见", "q"}


@click.command("chat")
@click.option("--as-of", "as_of", default=None, help="按哪一天的政策回答，YYYY-MM-DD（默认今天）")
@click.option("--mode", type=click.Choice(["deterministic", "llm"]), default=None, help="回答模式（默认读取 POLICY_QA_MODE）")
def chat(as_of: str | None, mode: str | None) -> None:
    """交互式多轮问答（输入“退出”或按 Ctrl-D 结束）。"""
    day = parse_as_of(as_of)
    from assistant.service import get_assistant

    assistant = get_assistant(mode)
    session_id = uuid.uuid4().hex
    click.echo("乌海人才政策助手（输入“退出”或按 Ctrl-D 结束；可以接着上一个问题追问，如“那硕士呢？”）")
    while True:
        try:
            question = input("问：")
        except (EOFError, KeyboardInterrupt):
            click.echo("\n再见。")
            return
        if question.strip().lower() in _EXIT_WORDS:
            click.echo("再见。")
            return
        if not question.strip():
            continue
        result = assistant.ask(question, as_of=day, session_id=session_id)
        click.echo("答：" + (_render(result) if result["status"] != "error" else result["answer"]))
        click.echo("")
