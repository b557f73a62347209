"""The answer contract, bad input, PII masking and logging."""

from __future__ import annotations

import logging

import pytest

from assistant.config import AssistantSettings
from assistant.service import Assistant, mask_pii
from tests.assistant.conftest import AS_OF

KEYS = {"question", "status", "answer", "citations", "tool_calls", "warnings", "follow_up_questions", "elapsed_ms"}


@pytest.mark.parametrize("question", ["", "   ", "？？？！", "😀😀", "。。。", None, "问" * 2001])
def test_bad_input_is_an_error_result_not_an_exception(assistant, question):
    result = assistant.ask(question, as_of=AS_OF)
    assert result["status"] == "error"
    assert result["answer"] and any("\u4e00" <= ch <= "\u9fff" for ch in result["answer"])
    assert KEYS <= set(result)


def test_contract_shape_and_id_echo(assistant):
    result = assistant.ask("特设岗位聘期一般几年？", as_of=AS_OF, id="x1")
    assert result["id"] == "x1" and KEYS <= set(result)
    for c in result["citations"]:
        assert set(c) == {"clause_id", "document", "label", "text"}
    assert isinstance(result["elapsed_ms"], float)


def test_no_id_key_without_id(assistant):
    assert "id" not in assistant.ask("特设岗位聘期一般几年？", as_of=AS_OF)


def test_mask_pii():
    text = "我的身份证号150302199001011234，手机13912345678"
    masked = mask_pii(text)
    assert "199001011234" not in masked and "12345678" not in masked
    assert masked.startswith("我的身份证号150") and "139****5678" in masked


def test_questions_not_logged_by_default(fake_retriever, caplog, tmp_path):
    a = Assistant(AssistantSettings(), retriever=fake_retriever)
    with caplog.at_level(logging.INFO, logger="policy_qa.assistant"):
        a.ask("我的手机13912345678，大专能评助理吗", as_of=AS_OF)
    assert "13912345678" not in caplog.text and "大专能评助理" not in caplog.text


def test_logged_questions_are_masked(fake_retriever, tmp_path):
    log = tmp_path / "q.log"
    a = Assistant(AssistantSettings(log_questions=True, log_path=str(log)), retriever=fake_retriever)
    a.ask("身份证150302199001011234，大专能评助理吗", as_of=AS_OF)
    text = log.read_text(encoding="utf-8")
    assert "大专能评助理吗" in text and "199001011234" not in text


def test_retriever_failure_is_an_error_result():
    class Broken:
        def retrieve(self, query, top_k=5, mode="hybrid"):
            raise RuntimeError("boom")

    result = Assistant(AssistantSettings(), retriever=Broken()).ask("特设岗位聘期几年", as_of=AS_OF)
    assert result["status"] == "error" and "boom" not in result["answer"]


def test_llm_mode_without_endpoint_is_deterministic(fake_retriever):
    a = Assistant(AssistantSettings(mode="llm"), retriever=fake_retriever)
    result = a.ask("特设岗位聘期一般几年？", as_of=AS_OF)
    assert result["status"] == "answered"


def test_get_assistant_is_cached_per_mode():
    from assistant.service import get_assistant

    assert get_assistant() is get_assistant()
    assert get_assistant("llm") is not get_assistant("deterministic")
