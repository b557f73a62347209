"""`policy-qa feedback`: the citizens' 👍/👎 stored by the web UI. Top-level imports: click and the standard library only."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click


@click.group("feedback")
def feedback() -> None:
    """查看或导出网页上的回答评价（👍/👎 及原因）。"""


def _store(db: str | None):
    from assistant.feedback import FeedbackStore

    return FeedbackStore(Path(db) if db else FeedbackStore.default_path())


@feedback.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True,
              help="csv：每条评价一行（回答契约为一列 JSON）；jsonl：每行一个 JSON 对象")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="写入文件（默认输出到标准输出）；CSV 文件带 BOM，便于用 Excel 打开")
@click.option("--db", type=click.Path(dir_okay=False), default=None,
              help="反馈数据库文件，默认 $POLICY_QA_DATA_DIR/feedback.sqlite3（未设置时为 ./data/feedback.sqlite3）")
@click.option("--dashboard", is_flag=True,
              help="改为导出工作人员看板：拒答、差评、追问未回复（每行带回答编号与语料指纹），以及每周热门主题、条款与回答结果占比")
@click.option("--weeks", type=click.IntRange(1, 520), default=8, show_default=True, help="看板统计最近几周（与 --dashboard 同用）")
def export(fmt: str, output: str | None, db: str | None, dashboard: bool, weeks: int) -> None:
    """导出全部评价：时间、评价、原因、问题（个人信息已脱敏）、政策基准日期、结论和完整回答。"""
    store = _store(db)
    if not store.path.exists():
        click.echo(f"还没有任何评价（{store.path} 不存在）。", err=True)
        if output is None:
            return
    try:
        if dashboard:
            text, count = _dashboard_text(store, fmt, weeks)
        else:
            text = store.export(fmt)
            count = len(store.rows())
    except (OSError, ValueError, sqlite3.Error) as err:
        raise click.ClickException(f"无法读取反馈数据库 {store.path}：{err}") from None
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        Path(output).write_text(text, encoding=encoding)
        click.echo(f"已导出 {count} 条{'看板记录' if dashboard else '评价'}到 {output}", err=True)


def _dashboard_text(store, fmt: str, weeks: int) -> tuple[str, int]:
    """The staff dashboard as one table: `section` (declined / disliked / unanswered_follow_ups / topics_by_week /
    clauses_by_week / status_by_week), then the row's fields."""
    import csv
    import io
    import json

    from assistant.audit import ROW_FIELDS, report_rows, staff_report

    rows = report_rows(staff_report(store, weeks=weeks, limit=100_000))
    buffer = io.StringIO()
    if fmt == "jsonl":
        for row in rows:
            buffer.write(json.dumps(row, ensure_ascii=False) + "\n")
        return buffer.getvalue(), len(rows)
    columns = ["section", "section_zh", *ROW_FIELDS, "week", "key", "status", "status_zh", "count", "share"]
    columns = list(dict.fromkeys(columns))
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue(), len(rows)


def _cell(value):
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value  # a spreadsheet would run it as a formula
    return value


@feedback.command("stats")
@click.option("--db", type=click.Path(dir_okay=False), default=None, help="反馈数据库文件（默认同 export）")
def stats(db: str | None) -> None:
    """统计：记录的回答数、评价数、👍/👎 数和各原因的次数。"""
    store = _store(db)
    try:
        counts = store.counts()
    except (OSError, sqlite3.Error) as err:
        raise click.ClickException(f"无法读取反馈数据库 {store.path}：{err}") from None
    click.echo(f"回答 {counts['answers']} 条，评价 {counts['feedback']} 条：👍 {counts['up']}，👎 {counts['down']}")
    for key, n in sorted(counts.items()):
        if key.startswith("reason:"):
            click.echo(f"  {key.split(':', 1)[1]}：{n}")
