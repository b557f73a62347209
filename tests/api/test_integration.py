"""Against a real `policy-qa serve` (real index, assistant and tools) with API tokens set: the openai client plain and
streaming, langchain-openai, a two-turn conversation, REST = `policy-qa ask --json`, 401 / 429, the citizen page still
open, and the staff dashboard showing a declined question and a 👎 given in the browser."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.conftest import BROWSER_ARGS, CHROMIUM, REPO, STARTUP_TIMEOUT_S
from ui.load import running_server

pytestmark = pytest.mark.integration

TOKEN = "itest-staff-token-1"
TIGHT = "itest-tight-token-2"
GOLD = "技能大赛金奖奖金多少？"
DECLINED = "呼和浩特的创业孵化基地以奖代补标准是多少？"
AS_OF = "2026-01-05"
STABLE = ("question", "status", "conclusion", "answer", "citations", "tool_calls", "warnings", "follow_up_questions")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("api") / "feedback.sqlite3"
    log = REPO / "tests" / "artifacts" / "api-server.log"
    env = {"POLICY_QA_API_TOKENS": f"{TOKEN},{TIGHT}:3", "POLICY_QA_UI_FEEDBACK_DB": str(db)}
    with running_server(log=log, startup_timeout_s=STARTUP_TIMEOUT_S, cwd=REPO, extra_env=env) as url:
        yield url.rstrip("/"), db


def call(url: str, path: str, body: dict | None = None, token: str | None = TOKEN) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url + path, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json",
                                              **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, json.loads(err.read())


def openai_client(url: str):
    from openai import OpenAI

    return OpenAI(base_url=url + "/v1", api_key=TOKEN, max_retries=0, timeout=60)


class TestOpenAICompatible:
    def test_run_plain_returns_the_answer_with_citations(self, server):
        out = openai_client(server[0]).chat.completions.create(model="wuhai-policy-qa", messages=[{"role": "user", "content": GOLD}])
        choice = out.choices[0]
        assert "10000元" in choice.message.content or "1万元" in choice.message.content
        assert choice.contract["status"] == "answered" and choice.message.content == choice.contract["answer"]
        assert "skills-contest/a18" in [c["clause_id"] for c in choice.contract["citations"]]

    def test_run_streaming_returns_the_same_answer_and_the_contract_last(self, server):
        stream = openai_client(server[0]).chat.completions.create(model="wuhai-policy-qa", stream=True,
                                                                  messages=[{"role": "user", "content": GOLD}])
        chunks = list(stream)
        text = "".join(c.choices[0].delta.content or "" for c in chunks)
        contract = chunks[-1].choices[0].contract
        assert len(chunks) > 3 and text == contract["answer"] and contract["citations"]

    def test_run_two_turns_carry_the_context(self, server):
        client = openai_client(server[0])
        first = client.chat.completions.create(model="m", messages=[{"role": "user", "content": GOLD}]).choices[0].message.content
        second = client.chat.completions.create(model="m", messages=[
            {"role": "user", "content": GOLD}, {"role": "assistant", "content": first},
            {"role": "user", "content": "那银奖呢？"}]).choices[0]
        assert "8000元" in second.message.content.splitlines()[0] and second.contract["status"] == "answered"

    def test_run_langchain_chat_openai(self, server):
        from langchain_openai import ChatOpenAI

        llm = ChatOpenAI(base_url=server[0] + "/v1", api_key=TOKEN, model="wuhai-policy-qa", max_retries=0, timeout=60)
        reply = llm.invoke([("user", GOLD)])
        assert "第十八条" in reply.content and ("10000元" in reply.content or "1万元" in reply.content)


class TestRest:
    def test_ask_matches_the_cli(self, server):
        status, headers, body = call(server[0], "/api/v1/ask", {"question": GOLD, "as_of": AS_OF})
        cli = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", GOLD, "--json", "--as-of", AS_OF], cwd=REPO,
                             capture_output=True, text=True, timeout=300, check=True)
        expected = json.loads(cli.stdout)
        assert status == 200 and headers.get("x-answer-id")
        assert {k: body.get(k) for k in STABLE} == {k: expected.get(k) for k in STABLE}

    def test_clause_search_tools_health(self, server):
        url = server[0]
        assert call(url, "/api/v1/clauses/skills-contest/a18")[2]["in_force"] is True
        assert call(url, "/api/v1/search?q=%E6%8A%80%E8%83%BD%E5%A4%A7%E8%B5%9B")[2]["results"]
        assert call(url, "/api/v1/tools/initial_post_grade", {"arguments": {"degree": "硕士"}})[2]["value"]["grade"] == 11
        status, _, health = call(url, "/api/v1/health")
        assert status == 200 and health["index"]["state"] == "ok" and health["corpus"]["fingerprint"]
        assert call(url, "/api/v1/clauses/nope/x")[0] == 404

    def test_without_a_token_401_and_the_citizen_page_still_loads(self, server):
        status, _, body = call(server[0], "/api/v1/ask", {"question": GOLD}, token=None)
        assert status == 401 and "令牌" in body["error"]["message"]
        assert call(server[0], "/v1/models", token=None)[0] == 401
        with urllib.request.urlopen(server[0] + "/", timeout=30) as resp:
            assert resp.status == 200
        with urllib.request.urlopen(server[0] + "/docs", timeout=30) as resp:
            assert resp.status == 200

    def test_a_burst_past_the_limit_gets_429(self, server):
        codes = [call(server[0], "/api/v1/tools", token=TIGHT) for _ in range(5)]
        limited = [c for c in codes if c[0] == 429]
        assert limited and int(limited[0][1]["retry-after"]) >= 1 and "请求过于频繁" in limited[0][2]["error"]["message"]


def test_dashboard_shows_a_declined_question_and_a_thumbs_down_from_the_browser(server):
    import os
    import shutil

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"未找到 Chromium（{CHROMIUM}），跳过浏览器测试：请运行 make test（会自动安装）")
    from playwright.sync_api import sync_playwright

    from tests.ui.test_integration import ask_in_ui, last_answer

    url, db = server
    assert call(url, "/api/v1/ask", {"question": DECLINED})[2]["status"] == "out_of_scope"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page(locale="zh-CN", viewport={"width": 1366, "height": 900})
            page.goto(url + "/")
            page.wait_for_selector("#qa-question textarea")
            page.wait_for_timeout(300)
            ask_in_ui(page, "职业技能竞赛银奖奖金是多少？")
            last_answer(page).locator("button.qa-vote-down").click()
            page.wait_for_selector("#qa-conv .qa-turn:last-child button.qa-reason")
            last_answer(page).locator("button.qa-reason", has_text="引用不对").click()
            page.wait_for_selector("#qa-conv .qa-turn:last-child .qa-feedback-note:has-text('引用不对')")

            page.goto(url + "/?staff=1")
            page.wait_for_selector("#qa-question textarea")
            page.wait_for_timeout(500)
            page.get_by_role("tab", name="工作人员").click()
            page.fill("#staff-token input", TOKEN)
            page.click("#staff-refresh")
            for table, text in (("#staff-declined", "呼和浩特"), ("#staff-disliked", "引用不对")):
                page.wait_for_function(f"(document.querySelector('{table}')?.innerText || '').includes('{text}')", timeout=30000)
            page.wait_for_timeout(1500)  # vega draws the plots after the data arrives
            page.screenshot(path=str(REPO / "tests" / "artifacts" / "api-staff-dashboard.png"), full_page=True)
            assert page.locator("#staff-status-plot canvas, #staff-status-plot svg").count() >= 1
        finally:
            browser.close()
    status, _, report = call(url, "/api/v1/staff/report")
    voted = [r for r in report["disliked"] if r["reason"] == "引用不对"]
    assert voted and voted[0]["channel"] == "web" and voted[0]["corpus_fingerprint"]
    stored = call(url, voted[0]["link"])[2]
    assert stored["contract"]["citations"] and stored["as_of"] and stored["code_version"]
    asked = [r for r in call(url, "/api/v1/staff/report?limit=5000")[2]["disliked"] if r["question"] == voted[0]["question"]]
    assert len(asked) == 1, "the vote is linked to the audited answer, not stored as a second copy"
