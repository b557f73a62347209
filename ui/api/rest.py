"""The REST routes under /api/v1: ask, clauses, search, tools, health, and the staff's answers and report."""

from __future__ import annotations

import platform
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ui.api.errors import ApiError
from ui.api.runtime import ApiContext, ask_contract, parse_day

MAX_QUERY = 200
MAX_KEY = 200
SEARCH_TOP_K = 10


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"question": "技能大赛金奖奖金多少？"}]})

    question: str = Field(description="问题（中文，不超过2000字）")
    session_id: str | None = Field(default=None, description="会话编号（不超过64个字符）：同一编号下的追问按上文理解")
    as_of: str | None = Field(default=None, description="政策基准日期 YYYY-MM-DD，默认今天")


class ToolRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"arguments": {"degree": "硕士"}}]})

    arguments: dict[str, Any] = Field(default_factory=dict, description="工具参数（见 /api/v1/tools/{name}/schema）")
    as_of: str | None = Field(default=None, description="按哪一天的政策计算，YYYY-MM-DD，默认今天")


def clause_json(corpus: Any, clause: Any, day: date) -> dict:
    """A clause as the API shows it: text, label, document and whether it is in force on `day`."""
    status = corpus.in_force(clause.id, day)
    current = corpus.current_version(clause.id, day)
    doc = corpus.document(clause.doc_slug)
    return {"clause_id": clause.id, "label": clause.label, "document": doc.title, "document_slug": doc.slug,
            "kind": clause.kind, "number": clause.number, "title": clause.title, "text": clause.text,
            "full_text": corpus.full_text(clause.id) if clause.children else clause.text, "path": list(clause.path),
            "parent_id": clause.parent_id, "children": list(clause.children), "in_force": status.in_force,
            "status": status.to_dict(), "current_version": current if current != clause.id else None}


def build_router(ctx: ApiContext) -> APIRouter:
    from fastapi import Header

    def guard(authorization: str | None = Header(default=None, include_in_schema=False)) -> str | None:
        return ctx.guard.check(authorization)

    router = APIRouter(prefix="/api/v1", dependencies=[Depends(guard)])

    @router.post("/ask", summary="提问：返回回答契约", tags=["问答"],
                 responses={400: {"description": "问题、会话编号或日期无效"}, 503: {"description": "索引正在重建或系统繁忙"}})
    async def ask(body: AskRequest) -> JSONResponse:
        """与 `policy-qa ask --json` 相同的回答契约（status / conclusion / answer / citations / tool_calls / warnings /
        follow_up_questions / elapsed_ms）。响应头 `X-Answer-Id` 是审计记录编号（/api/v1/answers/{id}）。"""
        def work() -> tuple[dict, str | None]:
            from assistant.audit import audit_context

            with audit_context("rest"):
                return ask_contract(ctx, body.question, body.session_id, body.as_of)

        contract, answer_id = await ctx.runner.run(work)
        return JSONResponse(contract, headers={"X-Answer-Id": answer_id} if answer_id else None)

    @router.get("/clauses/{clause_id:path}", summary="查看条款原文与效力状态", tags=["条款"])
    def clause(clause_id: str = Path(description="条款编号（如 skills-contest/a18）或引用标签"),
               as_of: str | None = Query(default=None, description="按哪一天判断效力，YYYY-MM-DD，默认今天")) -> dict:
        from corpus.errors import ClauseNotFoundError
        from corpus.loader import find_clause

        if len(clause_id) > MAX_KEY:
            raise ApiError(400, "invalid_clause_id", f"条款编号过长（{len(clause_id)}个字符），请使用条款编号或引用标签。")
        day = parse_day(as_of) or date.today()
        corpus = ctx.services.corpus
        try:
            found = find_clause(corpus, clause_id)
        except ClauseNotFoundError as err:
            raise ApiError(404, "clause_not_found", str(err).replace("可运行 `policy-qa corpus list` 查看全部文件。",
                                                                    "可用 /api/v1/search?q= 检索条款。")) from None
        return {"as_of": day.isoformat(), **clause_json(corpus, found, day)}

    @router.get("/search", summary="检索条款", tags=["条款"])
    async def search(q: str = Query(default="", description="检索词或问题"),
                     top_k: int = Query(default=SEARCH_TOP_K, ge=1, le=50, description="返回条数"),
                     as_of: str | None = Query(default=None, description="按哪一天判断效力，YYYY-MM-DD")) -> dict:
        query = q.strip()
        if not query:
            raise ApiError(400, "empty_query", "检索词不能为空，例如 /api/v1/search?q=技能大赛 奖金")
        if len(query) > MAX_QUERY:
            raise ApiError(400, "query_too_long", f"检索词过长（{len(query)}字），请精简到{MAX_QUERY}字以内。")
        day = parse_day(as_of) or date.today()
        ctx.ensure_ready()
        hits = await ctx.runner.run(lambda: ctx.services.retriever.retrieve(query, top_k=top_k))
        corpus = ctx.services.corpus
        results = []
        for hit in hits:
            item = {"clause_id": hit.clause_id, "label": hit.label, "document": hit.document, "text": hit.text,
                    "score": round(float(getattr(hit, "score", 0.0)), 6)}
            if hit.clause_id in corpus.clauses:
                status = corpus.in_force(hit.clause_id, day)
                item.update(in_force=status.in_force, status=status.to_dict())
            results.append(item)
        return {"query": query, "as_of": day.isoformat(), "results": results}

    @router.get("/tools", summary="列出政策计算工具", tags=["工具"])
    def tools() -> dict:
        return {"tools": [{"name": s.name, "title": s.title_zh, "category": s.category, "description": s.description}
                          for s in ctx.services.tools().values()]}

    def spec_of(name: str) -> Any:
        spec = ctx.services.tools().get(name)
        if spec is None:
            known = "、".join(sorted(ctx.services.tools()))
            raise ApiError(404, "tool_not_found", f"没有名为“{name[:50]}”的工具。可用工具：{known}")
        return spec

    @router.get("/tools/{name}/schema", summary="工具参数的 JSON Schema", tags=["工具"])
    def tool_schema(name: str) -> dict:
        return spec_of(name).json_schema()

    @router.post("/tools/{name}", summary="运行政策计算工具", tags=["工具"])
    def run_tool(name: str, body: ToolRequest | None = None) -> dict:
        """返回工具结果：outcome / value / steps / citations / missing_facts / warnings / as_of。"""
        from corpus.errors import PolicyQAError
        from eligibility_tools.registry import run_tool as run

        spec_of(name)
        body = body or ToolRequest()
        day = parse_day(body.as_of)
        try:
            return run(name, body.arguments, day).to_json()
        except PolicyQAError as err:
            raise ApiError(400, "invalid_arguments", str(err)) from None

    @router.get("/answers/{answer_id}", summary="一个回答的审计记录", tags=["工作人员"])
    def answer(answer_id: str) -> dict:
        """回答当时的完整契约、政策基准日期、语料与索引指纹、代码版本和评价（个人信息已脱敏）。"""
        found = ctx.services.feedback.answer(answer_id)
        if found is None:
            raise ApiError(404, "answer_not_found", f"没有编号为 {answer_id[:64]} 的回答记录（可能已超过保留期限被删除）。")
        return found

    @router.get("/staff/report", summary="工作人员看板数据", tags=["工作人员"])
    def report(weeks: int = Query(default=8, ge=1, le=104, description="统计最近几周"),
               limit: int = Query(default=200, ge=1, le=5000, description="每个列表最多几行")) -> dict:
        from assistant.audit import staff_report

        return staff_report(ctx.services.feedback, weeks=weeks, limit=limit)

    @router.get("/health", summary="服务状态：索引、语料指纹、版本", tags=["运维"])
    def health(request: Request) -> JSONResponse:
        body = health_body(ctx)
        return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)

    return router


def health_body(ctx: ApiContext) -> dict:
    from importlib.metadata import PackageNotFoundError, version

    from assistant.audit import code_version, corpus_fingerprint

    index: dict[str, Any] = {"state": "ok", "reason": ""}
    if ctx.rebuilding():
        index = {"state": "rebuilding", "reason": "索引正在重建"}
    else:
        try:
            from indexing.config import IndexSettings
            from indexing.index import IndexProblem, read_manifest

            manifest = read_manifest(IndexSettings(data_dir=ctx.data_dir))
            ident = manifest.get("identity") or {}
            index.update(fingerprint=str(manifest.get("manifest_sha256") or "")[:16] or None, embedder=ident.get("embedder"),
                         n_units=manifest.get("n_units"), built_at=manifest.get("built_at"))
        except IndexProblem as problem:
            index = {"state": problem.state, "reason": problem.reason}
    corpus = ctx.services.corpus
    versions = {"app": code_version(), "python": platform.python_version()}
    for package in ("gradio", "fastapi"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return {"status": "ok" if index["state"] == "ok" else index["state"], "index": index,
            "corpus": {"fingerprint": corpus_fingerprint(), "documents": len(corpus.documents), "clauses": len(corpus.clauses)},
            "versions": versions, "auth": ctx.guard.enabled}
