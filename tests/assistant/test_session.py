"""Multi-turn: a follow-up continues the last question with the new facts."""

from __future__ import annotations

import time

import pytest

from assistant.session import SessionStore, Turn
from assistant.slots import Slots
from tests.assistant.conftest import AS_OF


def _title_args(result):
    calls = [c for c in result["tool_calls"] if c["name"] == "title_application_routes"]
    assert calls, result
    return calls[0]["arguments"]


def test_那硕士呢_changes_only_the_degree(assistant):
    first = assistant.ask("本科毕业在乡镇事业单位工作满1年，能认定什么职称？", as_of=AS_OF, session_id="s1")
    assert _title_args(first)["education"] == "本科"
    second = assistant.ask("那硕士呢？", as_of=AS_OF, session_id="s1")
    args = _title_args(second)
    assert args["education"] == "硕士" and args["workplace_level"] == "乡镇"


def test_如果是在村里呢_changes_the_place(assistant):
    assistant.ask("大专毕业在市直事业单位工作满2年，能认定助理级吗？", as_of=AS_OF, session_id="s2")
    second = assistant.ask("如果是在村里呢？", as_of=AS_OF, session_id="s2")
    args = _title_args(second)
    assert args["workplace_level"] == "村（嘎查）" and args["education"] == "大专"


def test_a_new_topic_does_not_inherit(assistant):
    assistant.ask("大专毕业在市直事业单位工作满2年，能认定助理级吗？", as_of=AS_OF, session_id="s3")
    result = assistant.ask("全市技能大赛金奖奖金是多少？", as_of=AS_OF, session_id="s3")
    assert not any(c["name"] == "title_application_routes" for c in result["tool_calls"])


def test_without_session_no_continuation(assistant):
    assistant.ask("大专毕业在市直事业单位工作满2年，能认定助理级吗？", as_of=AS_OF)
    result = assistant.ask("那硕士呢？", as_of=AS_OF)
    assert not any(c["name"] == "title_application_routes" for c in result["tool_calls"])


def test_needs_more_info_asks_in_one_message(assistant):
    result = assistant.ask("我在事业单位上班，能直接认定助理级职称吗？", as_of=AS_OF)  # education and years: unknown
    assert result["status"] == "needs_more_info"
    assert result["follow_up_questions"]
    assert all(q in result["answer"] for q in result["follow_up_questions"])


def test_store_is_bounded_lru():
    store = SessionStore(max_sessions=2)
    for sid in ("a", "b", "c"):
        store.record(sid, Turn("q", [], Slots(), "answered"))
    assert len(store) == 2
    assert store.get("a").turns == []  # evicted, fresh


def test_store_expires(monkeypatch):
    store = SessionStore(ttl_seconds=10)
    store.record("a", Turn("q", [], Slots(), "answered"))
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 11)
    assert store.get("a").turns == []


@pytest.mark.parametrize("kwargs", [{"max_sessions": 0}, {"ttl_seconds": 0}])
def test_init_rejects_bad_limits(kwargs):
    with pytest.raises(ValueError):
        SessionStore(**kwargs)
