"""Long questions (issue 14 #15): no stage reads more than FOCUS_MAX_CHARS, and the long-story version of a question
keeps the short version's status and first citation."""

from __future__ import annotations

import pytest

from evals.long_questions import LENGTHS, QUESTIONS, long_question
from indexing.focus import FOCUS_MAX_CHARS


@pytest.mark.unit
def test_every_stage_reads_at_most_the_focused_text(assistant, monkeypatch):
    import assistant.normalize as normalize
    import assistant.service as service

    seen: dict[str, int] = {}
    real_normalize, real_slots, real_retrieve = normalize.normalize_question, service.extract_slots, assistant._retrieve

    def spy(name, fn):
        def wrapped(text, *args, **kwargs):
            seen[name] = max(seen.get(name, 0), len(text))
            return fn(text, *args, **kwargs)
        return wrapped

    monkeypatch.setattr(normalize, "normalize_question", spy("normalize", real_normalize))
    monkeypatch.setattr(service, "extract_slots", spy("slots", real_slots))
    monkeypatch.setattr(assistant, "_retrieve", spy("retrieve", real_retrieve))
    answer = assistant.ask(long_question("技能大赛金奖奖金多少？", 2000))
    assert answer["status"] == "answered", answer["answer"]
    assert set(seen) == {"normalize", "slots", "retrieve"}
    assert max(seen.values()) <= FOCUS_MAX_CHARS, seen


@pytest.mark.unit
def test_a_short_question_is_not_cut(assistant, monkeypatch):
    import assistant.normalize as normalize

    seen = []
    real = normalize.normalize_question
    monkeypatch.setattr(normalize, "normalize_question", lambda text, *a, **k: seen.append(text) or real(text, *a, **k))
    question = "我是大专毕业的，已经工作满3年了。" * 5 + "请问能认定助理级职称吗？"
    assistant.ask(question)
    assert seen[0] == question


@pytest.mark.integration
@pytest.mark.parametrize("question", QUESTIONS)
def test_long_story_keeps_the_short_answer_with_the_real_assistant(question):
    from assistant.config import AssistantSettings
    from assistant.service import Assistant, get_assistant

    real = get_assistant()
    # the default limit (2,000 characters) refuses a 5,000-character question before any work; lift it to measure
    assistant = Assistant(AssistantSettings(max_question_chars=max(LENGTHS)), retriever=real.retriever)
    short = assistant.ask(question)
    assert short["citations"], short
    for length in LENGTHS:
        long = assistant.ask(long_question(question, length))
        assert long["status"] == short["status"], (length, long["answer"])
        assert long["citations"][0]["clause_id"] == short["citations"][0]["clause_id"], (length, long["answer"])
