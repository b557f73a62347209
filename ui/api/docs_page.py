"""`/docs`: the endpoints, read from the OpenAPI schema, as one self-contained Chinese page (no scripts or styles
from outside: the server runs offline, and the Content-Security-Policy allows no other origin)."""

from __future__ import annotations

import html
import json

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#1e293b;line-height:1.6}
h1{font-size:1.6em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #cbd5e1}
.op{border:1px solid #e2e8f0;border-radius:8px;padding:.6em 1em;margin:1em 0}
.m{display:inline-block;min-width:4.5em;font-weight:bold;color:#fff;border-radius:4px;padding:0 .4em;text-align:center}
.GET{background:#2563eb}.POST{background:#16a34a}code,pre{background:#f1f5f9;border-radius:4px;padding:.1em .3em}
pre{padding:.6em;overflow-x:auto;white-space:pre-wrap}table{border-collapse:collapse}td,th{border:1px solid #e2e8f0;padding:.2em .5em}
"""


def _params(op: dict) -> str:
    rows = []
    for p in op.get("parameters") or []:
        schema = p.get("schema") or {}
        rows.append(f"<tr><td><code>{html.escape(p.get('name', ''))}</code></td><td>{html.escape(p.get('in', ''))}</td>"
                    f"<td>{'是' if p.get('required') else '否'}</td><td>{html.escape(str(p.get('description') or schema.get('description') or ''))}</td></tr>")
    if not rows:
        return ""
    return "<table><tr><th>参数</th><th>位置</th><th>必填</th><th>说明</th></tr>" + "".join(rows) + "</table>"


def _body(op: dict, schemas: dict) -> str:
    content = ((op.get("requestBody") or {}).get("content") or {}).get("application/json") or {}
    ref = (content.get("schema") or {}).get("$ref", "")
    schema = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    if not schema:
        return ""
    rows = "".join(f"<tr><td><code>{html.escape(k)}</code></td><td>{'是' if k in schema.get('required', []) else '否'}</td>"
                   f"<td>{html.escape(str(v.get('description') or ''))}</td></tr>" for k, v in (schema.get("properties") or {}).items())
    example = (schema.get("examples") or [None])[0]
    shown = f"<pre>{html.escape(json.dumps(example, ensure_ascii=False, indent=1))}</pre>" if example else ""
    return f"<p>请求体（JSON）：</p><table><tr><th>字段</th><th>必填</th><th>说明</th></tr>{rows}</table>{shown}"


def docs_html(openapi: dict) -> str:
    schemas = (openapi.get("components") or {}).get("schemas") or {}
    groups: dict[str, list[str]] = {}
    for path, methods in (openapi.get("paths") or {}).items():
        for method, op in methods.items():
            tag = (op.get("tags") or ["其他"])[0]
            desc = html.escape(op.get("description") or "").replace("\n", "<br>")
            groups.setdefault(tag, []).append(
                f'<div class="op"><span class="m {method.upper()}">{method.upper()}</span> <code>{html.escape(path)}</code>'
                f" — {html.escape(op.get('summary') or '')}<p>{desc}</p>{_params(op)}{_body(op, schemas)}</div>")
    sections = "".join(f"<h2>{html.escape(tag)}</h2>{''.join(ops)}" for tag, ops in groups.items())
    info = openapi.get("info") or {}
    return (f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{html.escape(info.get('title', ''))}</title>"
            f"<style>{STYLE}</style></head><body><h1>{html.escape(info.get('title', ''))}</h1>"
            f"<p>{html.escape(info.get('description', ''))}</p><p>机器可读的接口定义：<a href=\"/openapi.json\">/openapi.json</a>"
            f"（OpenAPI {html.escape(str(openapi.get('openapi', '')))}）。出错时统一返回 "
            f"<code>{{\"error\": {{\"code\", \"message\", \"type\"}}}}</code>，message 为中文。</p>{sections}</body></html>")
