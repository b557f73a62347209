"""The REST routes over fakes: contract unchanged, clauses with in-force status, tools, health, errors as JSON."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit

CONTRACT_KEYS = {"question", "status", "answer", "citations", "tool_calls", "warnings", "follow_up_questions", "elapsed_ms"}


class TestAsk:
    def test_run_returns_the_assistants_contract_unchanged(self, api):
        r = api.post("/api/v1/ask", json={"question": "技能大赛金奖奖金多少？", "as_of": "2026-01-05"})
        assert r.status_code == 200
        body = r.json()
        assert CONTRACT_KEYS <= set(body)
        assert body["status"] == "answered" and body["citations"][0]["clause_id"] == "skills-contest/a18"
        expected = api.fake.ask("技能大赛金奖奖金多少？", as_of=__import__("datetime").date(2026, 1, 5))
        assert {k: v for k, v in body.items() if k != "elapsed_ms"} == {k: v for k, v in expected.items() if k != "elapsed_ms"}
        assert api.fake.calls[0][1].isoformat() == "2026-01-05"

    def test_run_records_the_answer_in_the_audit_trail(self, api):
        r = api.post("/api/v1/ask", json={"question": "技能大赛金奖奖金多少？我的手机13912345678", "session_id": "s1"})
        answer_id = r.headers["x-answer-id"]
        stored = api.get(f"/api/v1/answers/{answer_id}").json()
        assert stored["channel"] == "rest" and stored["status"] == "answered"
        assert "13912345678" not in stored["question"] and stored["corpus_fingerprint"]
        assert stored["code_version"] and stored["contract"]["citations"][0]["clause_id"] == "skills-contest/a18"

    @pytest.mark.parametrize("body, code", [
        ({"question": ""}, "invalid_question"),
        ({"question": "😀🎉"}, "invalid_question"),
        ({"question": "金奖", "as_of": "2025-13-40"}, "invalid_as_of"),
        ({"question": "金奖", "session_id": "x" * 65}, "invalid_session_id"),
        ({"question": 12}, "invalid_request"),
        ({}, "invalid_request"),
        ({"question": "金奖", "extra": 1}, "invalid_request"),
    ])
    def test_run_rejects_bad_input_with_400_in_chinese(self, api, body, code):
        r = api.post("/api/v1/ask", json=body)
        assert r.status_code == 400
        err = r.json()["error"]
        assert err["code"] == code and any("\u4e00" <= ch <= "\u9fff" for ch in err["message"])
        assert "Traceback" not in r.text

    def test_run_rejects_invalid_json(self, api):
        r = api.post("/api/v1/ask", content=b"{not json", headers={"content-type": "application/json"})
        assert r.status_code == 400 and "JSON" in r.json()["error"]["message"]

    def test_run_is_503_while_the_index_is_rebuilt(self, api):
        api.context.rebuilding = lambda: True
        r = api.post("/api/v1/ask", json={"question": "技能大赛金奖奖金多少？"})
        assert r.status_code == 503 and r.json()["error"]["code"] == "index_rebuilding"
        assert r.headers["retry-after"] == "60" and not api.fake.calls

    def test_run_reports_an_assistant_failure_as_500_without_trace(self, api, monkeypatch):
        def boom(*a, **k):
            raise RuntimeError("secret internals")
        monkeypatch.setattr(api.fake, "ask", boom)
        r = api.post("/api/v1/ask", json={"question": "技能大赛金奖奖金多少？"})
        assert r.status_code == 500 and "secret" not in r.text and r.json()["error"]["code"] == "internal_error"


class TestClauses:
    def test_run_returns_text_label_document_and_status(self, api):
        body = api.get("/api/v1/clauses/skills-contest/a18", params={"as_of": "2024-01-01"}).json()
        assert body["label"].endswith("第十八条") and "1万元" in body["text"]
        assert body["document"] == "乌海市职业技能竞赛管理办法（试行）" and body["in_force"] is True
        assert body["status"]["status"] == "in_force" and body["as_of"] == "2024-01-01"

    def test_run_finds_a_clause_by_label(self, api):
        assert api.get("/api/v1/clauses/《乌海市职业技能竞赛管理办法（试行）》第十八条").json()["clause_id"] == "skills-contest/a18"

    def test_unknown_clause_is_404(self, api):
        r = api.get("/api/v1/clauses/no-such/a1")
        assert r.status_code == 404 and r.json()["error"]["code"] == "clause_not_found"

    def test_too_long_id_is_400(self, api):
        assert api.get("/api/v1/clauses/" + "a" * 300).status_code == 400

    def test_search_returns_clauses_with_status(self, api):
        body = api.get("/api/v1/search", params={"q": "技能大赛 奖金"}).json()
        assert body["results"] and {"clause_id", "label", "document", "text", "in_force", "status"} <= set(body["results"][0])

    @pytest.mark.parametrize("q", ["", "   ", "字" * 201])
    def test_search_rejects_empty_or_long_queries(self, api, q):
        assert api.get("/api/v1/search", params={"q": q}).status_code == 400


class TestTools:
    def test_list_schema_and_run(self, api):
        names = [t["name"] for t in api.get("/api/v1/tools").json()["tools"]]
        assert "initial_post_grade" in names
        schema = api.get("/api/v1/tools/initial_post_grade/schema").json()
        assert "degree" in schema["properties"]
        result = api.post("/api/v1/tools/initial_post_grade", json={"arguments": {"degree": "硕士"}, "as_of": "2025-01-01"}).json()
        assert result["outcome"] == "computed" and result["value"]["grade"] == 11
        assert set(result) >= {"outcome", "value", "steps", "citations", "missing_facts", "warnings", "as_of"}

    def test_unknown_tool_is_404(self, api):
        assert api.get("/api/v1/tools/nope/schema").status_code == 404
        assert api.post("/api/v1/tools/nope", json={}).json()["error"]["code"] == "tool_not_found"

    def test_bad_arguments_are_400_naming_the_field(self, api):
        r = api.post("/api/v1/tools/initial_post_grade", json={"arguments": {"degree": "博士后"}})
        assert r.status_code == 400 and "最高学历" in r.json()["error"]["message"]


class TestHealthAndDocs:
    def test_health_reports_index_corpus_and_versions(self, api):
        r = api.get("/api/v1/health")
        body = r.json()
        assert body["index"]["state"] == "missing" and r.status_code == 503  # the test's data dir has no index
        assert len(body["corpus"]["fingerprint"]) == 16 and body["corpus"]["clauses"] > 100
        assert body["versions"]["app"] and body["versions"]["fastapi"]

    def test_openapi_lists_only_the_api_routes(self, api):
        paths = api.get("/openapi.json").json()["paths"]
        assert {"/api/v1/ask", "/api/v1/search", "/v1/chat/completions", "/v1/models", "/api/v1/health"} <= set(paths)
        assert not any(p.startswith("/gradio_api") for p in paths)

    def test_docs_page_is_self_contained(self, api):
        text = api.get("/docs").text
        assert "/api/v1/ask" in text and "http://" not in text and "https://" not in text and "<script" not in text

    def test_unknown_route_is_json_404(self, api):
        r = api.get("/api/v1/nothing")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
