"""One error shape for every API route: `{"error": {"code", "message", "type"}}`, a Chinese message and the right
status; never a stack trace (unexpected errors are logged and reported as `internal_error`)."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

INTERNAL_ZH = "系统内部错误，请稍后重试；如持续出现，请联系管理员查看服务日志。"
_TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error", 405: "invalid_request_error",
          429: "rate_limit_error", 503: "service_unavailable"}


class ApiError(Exception):
    """An error the API answers with: HTTP status, a stable code and a Chinese message saying what to do next."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "type": _TYPES.get(status, "api_error")}}


def _field_name(loc: Any) -> str:
    parts = [str(p) for p in (loc or ()) if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "请求体"


def validation_message(errors: list[dict]) -> str:
    """pydantic's first error, in Chinese."""
    if not errors:
        return "请求格式有误，请对照接口说明（/docs）。"
    first = errors[0]
    name = _field_name(first.get("loc"))
    kind = first.get("type", "")
    if kind == "missing":
        return f"缺少字段“{name}”，请对照接口说明（/docs）补上。"
    if kind in ("json_invalid", "json_type"):
        return "请求体不是有效的 JSON，请检查引号、逗号和括号。"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"字段“{name}”的类型不对，请对照接口说明（/docs）。"
    if kind == "extra_forbidden":
        return f"不认识的字段“{name}”，请对照接口说明（/docs）。"
    return f"字段“{name}”的取值无效，请对照接口说明（/docs）。"


def install(app: Any) -> None:
    """Register the handlers on a FastAPI app."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    async def on_api_error(request, exc: ApiError):
        return JSONResponse(error_body(exc.status, exc.code, exc.message), status_code=exc.status, headers=exc.headers)

    async def on_validation(request, exc: RequestValidationError):
        return JSONResponse(error_body(400, "invalid_request", validation_message(list(exc.errors()))), status_code=400)

    async def on_http(request, exc: HTTPException):
        if exc.status_code == 404:
            message = f"没有这个接口：{request.url.path[:100]}。可用接口见 /docs。"
            return JSONResponse(error_body(404, "not_found", message), status_code=404)
        if exc.status_code == 405:
            message = f"接口 {request.url.path[:100]} 不支持 {request.method} 请求，请对照接口说明（/docs）。"
            return JSONResponse(error_body(405, "method_not_allowed", message), status_code=405)
        return JSONResponse(error_body(exc.status_code, "http_error", "请求无法处理，请对照接口说明（/docs）。"),
                            status_code=exc.status_code)

    async def on_any(request, exc: Exception):
        log.exception("API %s %s failed", request.method, request.url.path)
        return JSONResponse(error_body(500, "internal_error", INTERNAL_ZH), status_code=500)

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(Exception, on_any)
