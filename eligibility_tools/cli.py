"""`policy-qa tool …`: list, inspect and run the policy calculators."""

from __future__ import annotations

import json
from datetime import date

import click


def parse_as_of(value: str | None) -> date | None:
    """The --as-of option of every command: YYYY-MM-DD, or None for today."""
    from eligibility_tools.dates import parse_as_of as parse

    try:
        return parse(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--as-of") from None


@click.group()
def tool() -> None:
    """运行政策计算工具（职称申报路径、岗位结构比例、竞赛奖励、补贴测算等）。"""


@tool.command("list")
def list_tools() -> None:
    """列出全部工具。"""
    from eligibility_tools.registry import load_tools

    for spec in load_tools().values():
        click.echo(f"{spec.name:<28} {spec.title_zh}：{spec.description}")


@tool.command("schema")
@click.argument("name")
def schema(name: str) -> None:
    """显示工具的参数说明（JSON Schema）。"""
    from eligibility_tools.registry import get_tool

    click.echo(json.dumps(get_tool(name).json_schema(), ensure_ascii=False, indent=2))


@tool.command("run")
@click.argument("name")
@click.option("--args", "args_json", default="{}", help='参数 JSON，如 \'{"degree": "硕士"}\'')
@click.option("--as-of", "as_of", default=None, help="按哪一天的政策计算（默认今天），YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出完整结果")
def run(name: str, args_json: str, as_of: str | None, as_json: bool) -> None:
    """运行一个工具。"""
    from corpus.errors import ToolInputError
    from eligibility_tools.registry import run_tool
    from eligibility_tools.render import render_result

    try:
        args = json.loads(args_json)
    except json.JSONDecodeError as err:
        raise ToolInputError("--args", f"不是有效的 JSON（{err.msg}，第 {err.pos} 个字符）。") from None
    result = run_tool(name, args, parse_as_of(as_of), not_in_force_result=True)
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    if result.outcome == "not_in_force":  # never a computed answer from a repealed or missing clause: exit 2
        click.echo(f"错误：{result.summary_zh}", err=True)
        raise SystemExit(2)  # not click.exceptions.Exit: with standalone_mode=False click returns its code
    if not as_json:
        click.echo(render_result(result))


@tool.command("coverage")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出每个条款的覆盖情况")
@click.option("--uncovered", is_flag=True, help="只列出尚未覆盖的条款")
def coverage(as_json: bool, uncovered: bool) -> None:
    """列出写有条件、禁止性规定或数字的条款，以及适用它们的规则/工具和测试（或不适用的理由）。"""
    from corpus.loader import load_corpus
    from eligibility_tools.inventory.coverage import coverage_table, summary

    rows = coverage_table(load_corpus())
    shown = [r for r in rows if not r.covered] if uncovered else rows
    if as_json:
        click.echo(json.dumps({"summary": summary(rows), "clauses": [r.to_dict() for r in shown]}, ensure_ascii=False, indent=2))
        return
    for r in shown:
        mark = "✓" if r.covered else "✗"
        what = r.applied_by if r.applied_by != "none" else (f"不适用：{r.reason}" if r.reason else "未覆盖")
        click.echo(f"{mark} {r.clause:<32} {what}")
    s = summary(rows)
    click.echo(f"共 {s['candidates']} 个条款：规则 {s['by_rule']}，工具 {s['by_tool']}，注明理由 {s['with_reason']}，未覆盖 {s['uncovered']}")
