"""`policy-qa corpus …`: see what the compilation contains, clause by clause."""

from __future__ import annotations

import json
from collections import Counter

import click

from corpus.loader import find_clause, load_corpus


@click.group()
def corpus() -> None:
    """浏览政策文件与条款。"""


@corpus.command("list")
def list_documents() -> None:
    """列出10个政策文件及其条款数。"""
    c = load_corpus()
    for n, doc in enumerate(c.documents, 1):
        click.echo(f"{n:>2}. [{doc.slug}] {doc.title}（{doc.section}人才，{len(doc.clause_ids)} 条）")


@corpus.command("show")
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--full", is_flag=True, help="同时显示下级条款")
def show(key: str, as_json: bool, full: bool) -> None:
    """显示一个条款：KEY 为条款编号（如 skills-contest/a18）或引用标签（如 第十八条）。"""
    c = load_corpus()
    clause = find_clause(c, key)
    text = c.full_text(clause.id) if full else clause.text
    if as_json:
        click.echo(json.dumps({"clause_id": clause.id, "label": clause.label, "path": clause.path,
                               "document": c.document(clause.doc_slug).title, "text": text,
                               "children": clause.children, "is_form": clause.is_form,
                               "form_fields": clause.form_fields, "row": clause.row}, ensure_ascii=False, indent=2))
        return
    click.echo(clause.label)
    click.echo(f"编号：{clause.id}    路径：{' > '.join(clause.path)}")
    if clause.valid_until:
        click.echo(f"执行期限：{clause.validity_quote}")
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
