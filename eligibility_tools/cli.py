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
    result = run_tool(name, args, parse_as_of(as_of))
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_result(result))
