"""The REST API and the OpenAI-compatible endpoint, served on the UI's own server and port.

`api_middleware(services)` is an ASGI middleware for the gradio app: requests for `/api/v1/*`, `/v1/*`, `/docs` and
`/openapi.json` go to a FastAPI app of their own (its OpenAPI schema lists only these routes), everything else to
gradio. Both share the UI's `Services` (one assistant, one retriever, one feedback store).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

API_PREFIXES = ("/api/v1/", "/v1/")
API_PATHS = {"/api/v1", "/v1", "/docs", "/openapi.json"}
DESCRIPTION = ("2023年乌海市技术技能人才支持政策汇编的问答、条款与政策计算接口。设置 POLICY_QA_API_TOKENS 后，"
               "所有 /api 与 /v1 请求须带 Authorization: Bearer <令牌>。")


def is_api_path(path: str) -> bool:
    return path in API_PATHS or path.startswith(API_PREFIXES)


def create_api(services: Any, settings: Any = None, data_dir: Path | None = None, concurrency: int | None = None,
               max_waiting: int | None = None, context: Any = None):
    """The FastAPI app of the API routes (used by the middleware; tests call it with fakes)."""
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse

    from assistant.audit import code_version
    from ui.api import errors, openai_compat, rest
    from ui.api.docs_page import docs_html
    from ui.api.runtime import make_context

    ctx = context or make_context(services, settings, data_dir, concurrency, max_waiting)
    app = FastAPI(title="乌海人才政策助手 API", description=DESCRIPTION, version=code_version(), docs_url=None,
                  redoc_url=None, openapi_url="/openapi.json")
    errors.install(app)
    app.include_router(rest.build_router(ctx))
    app.include_router(openai_compat.build_router(ctx))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_html(app.openapi()))

    app.state.context = ctx
    return app


class ApiDispatch:
    """ASGI middleware: API paths to the API app (built on first use), the rest to the wrapped app."""

    def __init__(self, app: Any, services: Any, settings: Any = None, concurrency: int | None = None,
                 max_waiting: int | None = None):
        self.app = app
        self._factory = lambda: create_api(services, settings, concurrency=concurrency, max_waiting=max_waiting)
        self._api = None

    @property
    def api(self):
        if self._api is None:
            self._api = self._factory()
        return self._api

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and is_api_path(scope.get("path", "")):
            await self.api(scope, receive, send)
            return
        await self.app(scope, receive, send)


def api_middleware(services: Any, ui_settings: Any = None):
    """The starlette `Middleware` to add to the gradio app. Answering concurrency and queue size default to the UI's
    (`POLICY_QA_UI_CONCURRENCY`, `POLICY_QA_UI_MAX_QUEUE`); an invalid POLICY_QA_API_* value is one Chinese error."""
    from starlette.middleware import Middleware

    from ui.api.config import load_api_settings

    settings = load_api_settings()
    return Middleware(ApiDispatch, services=services, settings=settings, concurrency=getattr(ui_settings, "concurrency", None),
                      max_waiting=getattr(ui_settings, "max_queue", None))
