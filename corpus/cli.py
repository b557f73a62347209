"""`policy-qa corpus …`: see what the compilation contains, clause by clause."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date

import click

from corpus.loader import find_clause, load_corpus


def _as_of(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD，而不是 {value!r}", param_hint="--as-of") from None


@click.group()
def corpus() -> None:
    """浏览政策文件与条款。"""


@corpus.command("list")
def list_documents() -> None:
    """列出全部政策文件及其条款数（已废止、已到期的文件注明状态）。"""
    c = load_corpus()
    today = date.today()
    for n, doc in enumerate(c.documents, 1):
        status = c.in_force(doc.slug, today)
        mark = "" if status.in_force else f"，{status.status_zh}"
        click.echo(f"{n:>2}. [{doc.slug}] {doc.title}（{doc.section}，{len(doc.clause_ids)} 条{mark}）")


@corpus.command("show")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--full", is_flag=True, help="同时显示下级条款")
@click.option("--as-of", "as_of", default=None, help="按哪一天判断条款是否有效（默认今天），YYYY-MM-DD")
def show(key: str, as_json: bool, full: bool, as_of: str | None) -> None:
    """显示一个条款：KEY 为条款编号（如 skills-contest/a18）或引用标签（如 第十八条）。"""
    c = load_corpus()
    clause = find_clause(c, key)
    text = c.full_text(clause.id) if full else clause.text
    status = c.in_force(clause.id, _as_of(as_of))
    current = c.current_version(clause.id, status.as_of)
    if as_json:
        click.echo(json.dumps({"clause_id": clause.id, "label": clause.label, "path": clause.path,
                               "document": c.document(clause.doc_slug).title, "text": text,
                               "children": clause.children, "is_form": clause.is_form,
                               "form_fields": clause.form_fields, "row": clause.row,
                               "table_header": clause.table_header, "status": status.to_dict(),
                               "current_version": current}, ensure_ascii=False, indent=2))
        return
    click.echo(clause.label)
    click.echo(f"编号：{clause.id}    路径：{' > '.join(clause.path)}")
    click.echo(f"状态（截至{status.as_of.isoformat()}）：{status.reason_zh}")
    if current != clause.id:
        click.echo(f"现行条文：{current}（{c.clauses[current].label}）")
    if clause.valid_until:
        click.echo(f"执行期限：{clause.validity_quote}")
    if clause.table_header:
        click.echo(f"表头：{clause.table_header}")
    click.echo("")
    click.echo(text)
    if clause.children and not full:
        click.echo(f"\n（含 {len(clause.children)} 个下级条款，加 --full 显示）")


@corpus.command("stats")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def stats(as_json: bool) -> None:
    """统计文件、条款、覆盖率与表格。"""
    c = load_corpus()
    data = {
        "documents": len(c.documents),
        "clauses": len(c.clauses),
        "per_document": {d.slug: {"title": d.title, "clauses": len(d.clause_ids),
                                  "kinds": dict(Counter(c.clauses[i].kind for i in d.clause_ids))}
                         for d in c.documents},
        "coverage": c.coverage,
        "tables": [{"id": t.id, "title": t.title, "columns": t.columns, "rows": len(t.rows)} for t in c.tables],
        "forms": [cl.id for cl in c.clauses.values() if cl.is_form],
        "source_sha256": c.source_sha256,
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"文件 {data['documents']} 个，条款 {data['clauses']} 条，字符覆盖率 {c.coverage['coverage']:.2%}")
    for slug, d in data["per_document"].items():
        click.echo(f"  {slug:<30} {d['clauses']:>4} 条  {d['title']}")
    for t in data["tables"]:
        click.echo(f"  表格：{t['title']}（{t['rows']} 行）")
    click.echo(f"  表单模板 {len(data['forms'])} 个")


@corpus.command("check")
@click.argument("slug", required=False)
@click.option("--as-of", "as_of", default=None, help="按哪一天判断引用的条款是否仍有效（默认今天），YYYY-MM-DD")
@click.option("--all", "show_all", is_flag=True, help="逐条列出全部引用（指定 SLUG 时默认逐条列出）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--root", type=click.Path(file_okay=False, exists=True), default=None, help="仓库根目录（默认本仓库）")
@click.option("--documents", type=click.Path(dir_okay=False, exists=True), default=None,
              help="文件清单 documents.yaml（默认 corpus/documents.yaml）")
def check(slug: str | None, as_of: str | None, show_all: bool, as_json: bool, root: str | None, documents: str | None) -> None:
    """列出对一个文件（SLUG，缺省为全部文件）的全部引用：参数、条款规则、覆盖理由、路由、拒答主题、金标准、
    工具用例、代码；引用了不存在的条款时失败（退出码 1）。"""
    from pathlib import Path

    from corpus.check import KINDS, check_references

    c = load_corpus(str(Path(documents).resolve())) if documents else load_corpus()
    report = check_references(c, slug, root=Path(root) if root else None, as_of=_as_of(as_of))
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        titles = {d.slug: d for d in c.documents}
        listed = show_all or slug is not None
        for doc_slug, refs in report.by_document().items():
            doc = titles.get(doc_slug)
            if doc is None:
                head = f"[{doc_slug or '?'}] 不在文件清单中"
            else:
                status = c.in_force(doc.slug, report.as_of)
                head = f"[{doc_slug}] 《{doc.title}》：{status.reason_zh}"
            counts = Counter(r.kind for r in refs)
            click.echo(head)
            click.echo("  引用：" + "，".join(f"{k} {counts[k]} 处" for k in KINDS if counts[k]))
            for ref in refs:
                if ref.level == "ok" and not listed:
                    continue
                mark = {"error": "✗", "warning": "!", "ok": "✓"}[ref.level]
                tail = f"：{ref.problem}" if ref.problem else ""
                click.echo(f"  {mark} {ref.kind} {ref.where} → {ref.target}{tail}")
        if slug and not report.references:
            click.echo(f"没有任何地方引用文件 {slug}。")
        click.echo(f"共 {len(report.references)} 处引用，失效 {len(report.errors)} 处，提示 {len(report.warnings)} 处"
                   f"（截至 {report.as_of.isoformat()}）。")
    if not report.ok:
        click.echo(f"错误：发现 {len(report.errors)} 处失效引用（所引条款不存在或引文已不在条款中），见上面标 ✗ 的行："
                   "请修改这些文件，或恢复被删除/改号的条款。", err=True)
        sys.exit(1)


@corpus.command("status")
@click.argument("key")
@click.option("--as-of", "as_of", default=None, help="按哪一天判断（默认今天），YYYY-MM-DD")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def status_command(key: str, as_of: str | None, as_json: bool) -> None:
    """条款或文件（KEY 为条款编号、引用标签或文件编号）在某日是否有效：现行有效 / 尚未施行 / 已到期 / 已废止 / 已修改。"""
    c = load_corpus()
    clause = find_clause(c, key)
    status = c.in_force(clause.id, _as_of(as_of))
    if as_json:
        click.echo(json.dumps({**status.to_dict(), "current_version": c.current_version(clause.id, status.as_of)},
                              ensure_ascii=False, indent=2))
        return
    click.echo(f"{clause.label}（{clause.id}）")
    click.echo(f"截至{status.as_of.isoformat()}：{status.reason_zh}")
    current = c.current_version(clause.id, status.as_of)
    if current != clause.id:
        click.echo(f"现行条文：{current}（{c.clauses[current].label}）")
