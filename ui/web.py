"""Limits on what the web server accepts, as one ASGI middleware in front of gradio (pure: no gradio import).

- Every response carries a Content-Security-Policy that allows no outside origin: the page may load
  scripts, styles, images and fonts only from this server (plus inline data the gradio frontend builds),
  so even a markdown image that slipped into an answer could not make the browser call out.
- File uploads are refused: the app has no upload widget, and gradio's `/gradio_api/upload` would
  otherwise store anonymous files of any size in the temp dir.
- Calling an API name that does not exist is a 404 with a Chinese message (gradio answers 500).
- A page URL whose `?clause=` (or whole query) is too long is redirected to the normal page with a
  notice instead of reaching gradio (a blank 400 page, or a huge search, otherwise).
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

CSP = "; ".join([
    "default-src 'self'",
    # gradio's page boots from inline <script> config and runs event `js` through Function()
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' data: blob:",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
MAX_CLAUSE_PARAM = 200  # characters; the longest clause id or citation label is far shorter
MAX_PAGE_QUERY = 2000  # characters of the page's whole query string
NOTICE_PARAM = "notice"
NOTICE_LONG_CLAUSE = "clause-too-long"
UPLOAD_REFUSED_ZH = "本服务不接受文件上传。"
INTERNAL_API_NAMES = {"predict"}  # the page's own events that skip the queue post to /gradio_api/run/predict
_API_CALL = re.compile(r"^/gradio_api/(?:call/v2|call|run|api)/([^/]+)/?$")
_UPLOAD = re.compile(r"^/gradio_api/upload/?$")

ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]


def long_clause_redirect(query_string: str) -> str | None:
    """The URL to send a page request to when its `?clause=` is too long, else None. Other parameters
    (such as `staff=1`) are kept; `notice=clause-too-long` tells the page to explain."""
    if not query_string:
        return None
    pairs = parse_qsl(query_string, keep_blank_values=True)
    too_long = len(query_string) > MAX_PAGE_QUERY or any(k == "clause" and len(v) > MAX_CLAUSE_PARAM for k, v in pairs)
    if not too_long:
        return None
    kept = [(k, v) for k, v in pairs if k not in ("clause", NOTICE_PARAM) and len(k) + len(v) < 100][:10]
    return "./?" + urlencode([*kept, (NOTICE_PARAM, NOTICE_LONG_CLAUSE)])


class WebLimits:
    """ASGI middleware; `api_names()` gives the API names that exist (read per request: the app is built first)."""

    def __init__(self, app: ASGIApp, api_names: Callable[[], Iterable[str]] | None = None):
        self.app = app
        self.api_names = api_names or (lambda: ())

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        method = scope.get("method", "GET")
        if _UPLOAD.match(path):
            await _json_response(send, 403, {"error": UPLOAD_REFUSED_ZH})
            return
        match = _API_CALL.match(path)
        internal = INTERNAL_API_NAMES if path.startswith("/gradio_api/run/") else set()
        if match and method == "POST" and match.group(1) not in {*self.api_names(), *internal}:
            names = "、".join(f"/{n}" for n in sorted(self.api_names())) or "（无）"
            await _json_response(send, 404, {"error": f"没有名为“{match.group(1)[:50]}”的接口。可用接口：{names}"})
            return
        if path in ("", "/") and method in ("GET", "HEAD"):
            target = long_clause_redirect(scope.get("query_string", b"").decode("latin-1"))
            if target:
                await _redirect(send, target)
                return

        async def send_with_headers(message: dict) -> None:
            if message.get("type") == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in SECURITY_HEADERS if k not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _json_response(send: Callable, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(payload)).encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": payload})


async def _redirect(send: Callable, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": b""})
