"""`policy-qa eval`: grade a gold set through the assistant and the retrieval modes.

Only click and the standard library at top level: the harness and its collaborators are imported when
the command runs, so `policy-qa --help` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

_PACKAGE_DIR = Path(__file__).parent


def default_out_dir(gold: Path | None = None) -> Path:
    """evals/reports/ of the source checkout; ./evals-reports when installed elsewhere (never site-packages).

    The dev set writes there directly; any other gold set into a subdirectory named after its file
    (evals/reports/dev_citizen/), so one set's report never overwrites another's.
    """
    base = _PACKAGE_DIR / "reports" if (_PACKAGE_DIR.parent / "pyproject.toml").exists() else Path.cwd() / "evals-reports"
    return base if gold is None or gold.name == "dev.jsonl" else base / gold.stem


def _progress(run: str, done: int, total: int) -> None:
    if sys.stderr.isatty():
        click.echo(f"\r  {run}: {done}/{total}", err=True, nl=done == total)
    elif done == total:
        click.echo(f"  {run}: {total} 题完成", err=True)


@click.command("eval")
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="金标准 JSONL 文件（默认 evals/gold/dev.jsonl）")
@click.option("--mode", type=click.Choice(["deterministic", "llm"]), default="deterministic", show_default=True,
              help="助手模式：离线规则（deterministic）或大模型（llm，读取 POLICY_QA_LLM_* 配置）")
@click.option("--retrieval", type=click.Choice(["naive", "bm25", "dense", "hybrid"]), default="hybrid", show_default=True,
              help="检索模式；hybrid 评测完整助手，其他模式只评测检索（回答层指标为空）")
@click.option("--all-modes", is_flag=True, help="评测全部检索模式（含 naive 基线）和助手，并列对比")
@click.option("--json", "as_json", is_flag=True, help='输出 JSON：{"summary": {...}, "items": [...], "runs": {...}}')
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="报告目录（默认 evals/reports/；dev.jsonl 以外的题集写入 evals/reports/<题集名>/）")
@click.option("--no-report", is_flag=True, help="不写 report.json / report.md / 图表")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="评测日期 YYYY-MM-DD（默认今天）")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="只评测前 N 题（调试用）")
@click.option("--check-floors", is_flag=True,
              help="对照该题集的回归底线（dev.jsonl：evals/floors.yaml；dev_citizen.jsonl：evals/floors_citizen.yaml），低于底线时以退出码 1 结束")
def eval_command(gold_path: Path | None, mode: str, retrieval: str, all_modes: bool, as_json: bool, out_dir: Path | None,
                 no_report: bool, as_of, limit: int | None, check_floors: bool) -> None:
    """在金标准问题集上评测：引用命中率 hit@k / MRR、数字、拒答、到期提示、耗时。"""
    from evals.errors import EvalDependencyError
    from evals.gold import DEV_SET, load_gold
    from evals.runner import RETRIEVAL_MODES, RunSpec, evaluate, package_available

    gold_path = gold_path or DEV_SET
    items = load_gold(gold_path)[:limit]
    as_of_date = as_of.date() if as_of else None
    if check_floors:
        from evals.floors import floors_as_of, floors_file_for

        floors_path = floors_file_for(gold_path)
        if as_of_date is None and (as_of_date := floors_as_of(floors_path)) is not None:
            click.echo(f"提示：按 {floors_path.name} 的测定日期 {as_of_date} 评测（可用 --as-of 改变）。", err=True)

    note = ""
    if all_modes:
        specs = [RunSpec("retrieval", m) for m in RETRIEVAL_MODES] + [RunSpec("assistant", mode)]
        strict = False
    elif retrieval != "hybrid":
        specs, strict = [RunSpec("retrieval", retrieval)], True
    elif package_available("assistant.service") or mode != "deterministic":
        specs, strict = [RunSpec("assistant", mode)], True
    else:
        specs, strict = [RunSpec("retrieval", "hybrid")], True
        note = "问答助手 assistant.service 尚未实现，只评测 hybrid 检索"
        click.echo(f"提示：{note}。", err=True)

    report = evaluate(items, specs, gold=str(gold_path), as_of=as_of_date, strict=strict, progress=_progress)
    if not report.runs:
        reasons = "；".join(dict.fromkeys(s.reason for s in report.skipped))
        raise EvalDependencyError(f"没有可运行的评测模式（{reasons}）")
    if note and report.primary:
        report.primary.note = note

    violations: list[str] = []
    if check_floors:
        from evals.floors import check_floors as check
        from evals.floors import load_floors

        summaries = {r.spec.name: r.summary for r in report.runs}
        floors = [f for f in load_floors(floors_path) if f.run in summaries]
        violations = check(summaries, floors)

    if not no_report:
        from evals.report import write_report

        paths = write_report(report, out_dir or default_out_dir(gold_path))
        click.echo(f"报告已写入 {paths['markdown']}（另有 report.json 与图表）", err=True)

    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, default=str))
    else:
        from evals.report import text_report

        click.echo(text_report(report), nl=False)
    for v in violations:
        click.echo(f"低于回归底线：{v}", err=True)
    if violations or any(s.failed for s in report.skipped):
        sys.exit(1)
