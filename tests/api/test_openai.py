"""The OpenAI-compatible endpoint over fakes: reply text = answer, contract in the choice, conversation replayed."""

from __future__ import annotations

import json

import pytest

from ui.api.openai_compat import ChatMessage, ChatRequest, conversation_id, pieces

pytestmark = pytest.mark.unit

GOLD = {"role": "user", "content": "技能大赛金奖奖金多少？"}


class TestChatCompletions:
    def test_run_plain_returns_answer_and_contract(self, api):
        body = api.post("/v1/chat/completions", json={"model": "gpt-4o", "messages": [GOLD]}).json()
        choice = body["choices"][0]
        assert body["object"] == "chat.completion" and choice["finish_reason"] == "stop"
        assert choice["message"] == {"role": "assistant", "content": choice["contract"]["answer"]}
        assert choice["contract"]["citations"][0]["clause_id"] == "skills-contest/a18"

    def test_run_follow_up_reads_the_earlier_turns(self, api):
        messages = [GOLD, {"role": "assistant", "content": "1万元"}, {"role": "user", "content": "那银奖呢？"}]
        body = api.post("/v1/chat/completions", json={"messages": messages}).json()
        assert "银奖奖金0.8万元" in body["choices"][0]["message"]["content"]
        assert api.fake.sessions.cleared, "the replayed session must not stay in memory"
        report = api.get("/api/v1/staff/report").json()
        assert report["totals"]["asked"] == 1, "replayed turns are not audited"

    def test_run_without_history_does_not_carry_context(self, api):
        body = api.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "那银奖呢？"}]}).json()
        assert "银奖奖金0.8万元" not in body["choices"][0]["message"]["content"]

    def test_run_stream_sends_the_answer_in_chunks_then_the_contract(self, api):
        r = api.post("/v1/chat/completions", json={"messages": [GOLD], "stream": True})
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line[6:] for line in r.text.splitlines() if line.startswith("data: ")]
        assert events[-1] == "[DONE]"
        chunks = [json.loads(e) for e in events[:-1]]
        text = "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)
        last = chunks[-1]["choices"][0]
        assert last["finish_reason"] == "stop" and last["contract"]["answer"] == text and len(chunks) > 3

    @pytest.mark.parametrize("messages", [[], [{"role": "assistant", "content": "hi"}], [GOLD, {"role": "system", "content": "x"}]])
    def test_run_rejects_a_conversation_not_ending_in_a_user_turn(self, api, messages):
        r = api.post("/v1/chat/completions", json={"messages": messages})
        assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"

    def test_models_lists_the_assistant(self, api):
        assert api.get("/v1/models").json()["data"][0]["id"] == "wuhai-policy-qa"


def test_conversation_id_is_stable_across_turns_and_differs_between_conversations():
    one = ChatRequest(messages=[ChatMessage(**GOLD)])
    two = ChatRequest(messages=[ChatMessage(**GOLD), ChatMessage(role="assistant", content="a"), ChatMessage(role="user", content="那银奖呢？")])
    other = ChatRequest(messages=[ChatMessage(role="user", content="学徒补贴多少？")])
    assert conversation_id(one) == conversation_id(two) != conversation_id(other)


def test_pieces_keep_every_character():
    text = "结论：一万元。\n依据：\n- 第十八条"
    assert "".join(pieces(text)) == text and len(pieces(text)) == 3
