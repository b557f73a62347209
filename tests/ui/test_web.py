"""The web limits middleware (ui/web.py) on a tiny ASGI app: CSP, uploads, unknown API names, long clause links."""

from __future__ import annotations

import pytest

from ui.web import CSP, MAX_CLAUSE_PARAM, NOTICE_LONG_CLAUSE, WebLimits, long_clause_redirect


@pytest.fixture(scope="module")
def client():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    async def page(request):
        return PlainTextResponse("page " + request.url.query)

    async def call(request):
        return PlainTextResponse("called " + request.path_params["name"])

    async def upload(request):
        return PlainTextResponse("stored")

    app = Starlette(routes=[Route("/", page), Route("/gradio_api/call/{name}", call, methods=["POST"]),
                            Route("/gradio_api/run/{name}", call, methods=["POST"]),
                            Route("/gradio_api/upload", upload, methods=["POST"])])
    with TestClient(WebLimits(app, api_names=lambda: {"ask"}), follow_redirects=False) as c:
        yield c


class TestWebLimits:
    def test_run_every_response_has_the_csp(self, client):
        response = client.get("/")
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        for directive in ("default-src 'self'", "connect-src 'self'", "img-src 'self' data: blob:", "object-src 'none'"):
            assert directive in CSP
        assert "http" not in CSP and "*" not in CSP

    def test_run_uploads_are_refused_before_the_app(self, client):
        response = client.post("/gradio_api/upload", files={"files": ("x.bin", b"0" * 100_000)})
        assert response.status_code == 403 and response.json() == {"error": "本服务不接受文件上传。"}

    @pytest.mark.parametrize("name, status", [("ask", 200), ("predict", 404), ("nope", 404), ("a" * 300, 404)])
    def test_run_unknown_api_names_are_404(self, client, name, status):
        response = client.post(f"/gradio_api/call/{name}", json={"data": []})
        assert response.status_code == status
        if status == 404:
            assert "没有名为" in response.json()["error"] and "/ask" in response.json()["error"]

    def test_run_the_page_s_own_predict_route_passes(self, client):
        assert client.post("/gradio_api/run/predict", json={}).text == "called predict"

    def test_run_long_clause_link_redirects_to_the_page_with_a_notice(self, client):
        response = client.get("/?staff=1&clause=" + "x" * 10_000)
        assert response.status_code == 303
        assert response.headers["location"] == f"./?staff=1&notice={NOTICE_LONG_CLAUSE}"
        assert client.get("/?clause=skills-contest/a18").text == "page clause=skills-contest/a18"


@pytest.mark.parametrize("query, redirected", [
    ("", False),
    ("clause=skills-contest/a18", False),
    ("clause=" + "x" * MAX_CLAUSE_PARAM, False),
    ("clause=" + "x" * (MAX_CLAUSE_PARAM + 1), True),
    ("q=" + "y" * 3000, True),
    ("clause=" + "%E6%9D%A1" * 201, True),  # 201 × “条”: counted in characters, not bytes
])
def test_run_long_clause_redirect(query, redirected):
    target = long_clause_redirect(query)
    assert (target is not None) is redirected
    if target:
        assert target.startswith("./?") and target.endswith(f"notice={NOTICE_LONG_CLAUSE}") and len(target) < 300
