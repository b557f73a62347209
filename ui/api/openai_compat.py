"""OpenAI-compatible `/v1/chat/completions` (plain and `stream: true` SSE) and `/v1/models`.

The last user message is the question; the earlier user messages are the conversation. The assistant's session state
lives in memory, so each request replays the earlier user turns into a fresh session (not recorded in the audit
trail) and then asks the last one: a follow-up such as "那银奖呢？" after "金奖奖金多少" works whichever replica or
restart serves it, and the same messages always give the same answer. The reply text is the contract's `answer`;
the choice carries the whole contract in an extra field, `contract` (citations, tool_calls, warnings, status).
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ui.api.errors import ApiError
from ui.api.runtime import ApiContext, ask_contract

MODEL_ID = "wuhai-policy-qa"
MAX_REPLAYED_TURNS = 10  # earlier user turns replayed into the session (the session store keeps 20)
LAST_NOT_USER_ZH = "最后一条消息必须是用户（role 为 user）的问题。"
NO_MESSAGES_ZH = "messages 不能为空：请至少发送一条用户消息，例如 [{\"role\": \"user\", \"content\": \"技能大赛金奖奖金多少？\"}]。"


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    """OpenAI's request body; sampling options (temperature, max_tokens …) are accepted and ignored: answers are
    deterministic. `as_of` (YYYY-MM-DD) is this server's own extra field (`extra_body={"as_of": …}`)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {"model": MODEL_ID, "messages": [{"role": "user", "content": "技能大赛金奖奖金多少？"}]}]})

    model: str = Field(default=MODEL_ID, description=f"任意名称均可，固定由 {MODEL_ID} 回答")
    messages: list[ChatMessage] = Field(description="对话消息；最后一条必须是用户的问题")
    stream: bool = Field(default=False, description="true 时以 SSE 逐段返回")
    user: str | None = Field(default=None, description="终端用户标识（可选，只用于审计中区分会话）")
    as_of: str | None = Field(default=None, description="政策基准日期 YYYY-MM-DD，默认今天")


def text_of(message: ChatMessage) -> str:
    """A message's text; content parts other than text are ignored."""
    content = message.content
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(str(part.get("text") or "") for part in content if isinstance(part, dict) and part.get("type") in ("text", None))


def conversation_id(request: ChatRequest) -> str:
    """The audit trail's session for a conversation: the same for every request of it (hash of its first user turn,
    the system prompt and `user`)."""
    first = next((text_of(m) for m in request.messages if m.role == "user"), "")
    system = [text_of(m) for m in request.messages if m.role in ("system", "developer")]
    key = json.dumps([request.user or "", system, first], ensure_ascii=False)
    return "oai-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def answer_chat(ctx: ApiContext, request: ChatRequest) -> dict:
    """Replay the earlier user turns into a fresh session, then answer the last one (in this thread)."""
    from assistant.audit import audit_context, suppressed

    if not request.messages:
        raise ApiError(400, "invalid_request", NO_MESSAGES_ZH)
    if request.messages[-1].role != "user":
        raise ApiError(400, "invalid_request", LAST_NOT_USER_ZH)
    question = text_of(request.messages[-1])
    earlier = [text_of(m) for m in request.messages[:-1] if m.role == "user" and text_of(m).strip()][-MAX_REPLAYED_TURNS:]
    assistant = ctx.services.assistant
    session_id = f"oai-{uuid.uuid4().hex}" if earlier else None
    try:
        if earlier:
            from assistant.service import check_question

            ctx.ensure_ready()
            day = None
            if request.as_of:
                from ui.api.runtime import parse_day

                day = parse_day(request.as_of)
            with suppressed():
                for turn in earlier:
                    if check_question(turn, 2000) is None:
                        assistant.ask(turn, as_of=day, session_id=session_id)
        with audit_context("openai", conversation_id(request)):
            contract, _ = ask_contract(ctx, question, session_id, request.as_of)
    finally:
        sessions = getattr(assistant, "sessions", None)
        if session_id and sessions is not None and hasattr(sessions, "clear"):
            sessions.clear(session_id)
    return contract


def _usage(request: ChatRequest, answer: str) -> dict:
    prompt = sum(len(text_of(m)) for m in request.messages)  # characters: there is no tokenizer behind this model
    return {"prompt_tokens": prompt, "completion_tokens": len(answer), "total_tokens": prompt + len(answer)}


def completion(request: ChatRequest, contract: dict) -> dict:
    answer = str(contract.get("answer") or "")
    return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()), "model": MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop",
                         "logprobs": None, "contract": contract}],
            "usage": _usage(request, answer)}


def pieces(answer: str) -> list[str]:
    """The reply split into lines (each keeps its newline): the stream's content deltas."""
    return answer.splitlines(keepends=True) or [""]


def stream_events(request: ChatRequest, contract: dict) -> Iterator[str]:
    """SSE `data:` lines of chat.completion.chunk objects, then `data: [DONE]`."""
    ident, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    answer = str(contract.get("answer") or "")

    def chunk(delta: dict, finish: str | None = None, **extra: Any) -> str:
        body = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": MODEL_ID,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None, **extra}]}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces(answer):
        yield chunk({"content": piece})
    yield chunk({}, "stop", contract=contract)
    yield "data: [DONE]\n\n"


def build_router(ctx: ApiContext) -> APIRouter:
    def guard(authorization: str | None = Header(default=None, include_in_schema=False)) -> str | None:
        return ctx.guard.check(authorization)

    router = APIRouter(prefix="/v1", dependencies=[Depends(guard)], tags=["OpenAI 兼容"])

    @router.get("/models", summary="模型列表（OpenAI 兼容）")
    def models() -> dict:
        return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 1696118400, "owned_by": "wuhai-policy-qa"}]}

    @router.post("/chat/completions", summary="对话补全（OpenAI 兼容，支持 stream）")
    async def chat_completions(body: ChatRequest):
        """回复正文是回答契约的 answer；`choices[0].contract` 带完整回答契约（流式时在最后一个分块）。"""
        contract = await ctx.runner.run(lambda: answer_chat(ctx, body))
        if body.stream:
            return StreamingResponse(stream_events(body, contract), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        return JSONResponse(completion(body, contract))

    return router
