"""Bearer tokens and per-token rate limits."""

from __future__ import annotations

import pytest

from ui.api.auth import RateLimiter
from ui.api.config import ApiSettings

pytestmark = pytest.mark.unit

STAFF = {"Authorization": "Bearer staff-token-1"}
TIGHT = {"Authorization": "Bearer tight-token-2"}


class TestTokens:
    @pytest.mark.parametrize("path", ["/api/v1/tools", "/api/v1/health", "/v1/models"])
    def test_calls_without_a_token_get_401_in_chinese(self, api_with_tokens, path):
        r = api_with_tokens.get(path)
        assert r.status_code == 401 and "Authorization: Bearer" in r.json()["error"]["message"]
        assert r.headers["www-authenticate"].startswith("Bearer")

    def test_a_wrong_token_gets_401(self, api_with_tokens):
        r = api_with_tokens.get("/api/v1/tools", headers={"Authorization": "Bearer staff-token-X"})
        assert r.status_code == 401 and "无效" in r.json()["error"]["message"]

    def test_a_configured_token_passes(self, api_with_tokens):
        assert api_with_tokens.get("/api/v1/tools", headers=STAFF).status_code == 200
        assert api_with_tokens.post("/v1/chat/completions", headers=STAFF,
                                    json={"messages": [{"role": "user", "content": "技能大赛金奖奖金多少？"}]}).status_code == 200

    def test_docs_stay_open(self, api_with_tokens):
        assert api_with_tokens.get("/openapi.json").status_code == 200

    def test_a_burst_past_the_tokens_limit_gets_429_with_retry_after(self, api_with_tokens):
        codes = [api_with_tokens.get("/api/v1/tools", headers=TIGHT).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3] == 429
        r = api_with_tokens.get("/api/v1/tools", headers=TIGHT)
        assert int(r.headers["retry-after"]) >= 1 and "每分钟最多 3 次" in r.json()["error"]["message"]
        assert api_with_tokens.get("/api/v1/tools", headers=STAFF).status_code == 200, "limits are per token"


class TestRateLimiter:
    def test_run_refills_over_time(self):
        now = [0.0]
        limiter = RateLimiter(clock=lambda: now[0])
        assert [limiter.take("k", 60, 2) for _ in range(3)][:2] == [0.0, 0.0]
        assert limiter.take("k", 60, 2) > 0
        now[0] += 1.0
        assert limiter.take("k", 60, 2) == 0.0


class TestSettings:
    def test_init_reads_comma_and_json_lists(self, monkeypatch):
        monkeypatch.setenv("POLICY_QA_API_TOKENS", "aaaaaaaa1, bbbbbbbb2:30")
        assert ApiSettings().limits() == {"aaaaaaaa1": 120, "bbbbbbbb2": 30}
        monkeypatch.setenv("POLICY_QA_API_TOKENS", '["cccccccc3"]')
        assert ApiSettings().tokens == ["cccccccc3"]
        monkeypatch.setenv("POLICY_QA_API_TOKENS", "")
        assert not ApiSettings().auth_enabled

    @pytest.mark.parametrize("value", ["short", "aaaaaaaa1:x", "aaaaaaaa1:0"])
    def test_init_rejects_weak_tokens_and_bad_limits(self, monkeypatch, value):
        monkeypatch.setenv("POLICY_QA_API_TOKENS", value)
        with pytest.raises(ValueError):
            ApiSettings()
