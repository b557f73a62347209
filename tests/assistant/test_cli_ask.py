"""`policy-qa ask` / `chat` through click's CliRunner, with the fake retriever."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from assistant.cli_ask import ask, chat


@pytest.fixture(autouse=True)
def _fake_assistant(monkeypatch, assistant):
    import assistant.service as service

    monkeypatch.setattr(service, "get_assistant", lambda mode=None: assistant)


def test_ask_json():
    res = CliRunner().invoke(ask, ["特设岗位聘期一般几年？", "--json", "--as-of", "2026-11-26"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["status"] == "answered" and data["citations"]


def test_ask_text():
    res = CliRunner().invoke(ask, ["特设岗位聘期一般几年？"])
    assert res.exit_code == 0 and "引用条款" in res.output


@pytest.mark.parametrize("question", ["", "？？？", "字" * 2001])
def test_bad_question_exits_non_zero_with_chinese_message(question):
    res = CliRunner().invoke(ask, [question])
    assert res.exit_code != 0
    assert "问题" in res.output


def test_bad_as_of():
    res = CliRunner().invoke(ask, ["特设岗位聘期几年", "--as-of", "2026/11/26"])
    assert res.exit_code != 0 and "YYYY-MM-DD" in res.output


def test_batch_one_line_per_item_and_errors_do_not_stop(tmp_path):
    f = tmp_path / "b.jsonl"
    f.write_text('{"id": "1", "question": "特设岗位聘期几年？"}\nnot json\n{"id": "3", "question": "？？"}\n'
                 '{"id": "4", "question": "全市技能大赛金奖奖金多少？"}\n', encoding="utf-8")
    res = CliRunner().invoke(ask, ["--json", "--batch", str(f)])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["id"] for x in lines] == ["1", None, "3", "4"]
    assert [x["status"] for x in lines] == ["answered", "error", "error", "answered"]


def test_chat_session_continuity_and_exit():
    res = CliRunner().invoke(chat, [], input="本科毕业在乡镇事业单位工作满1年，能认定什么职称？\n那硕士呢？\n退出\n")
    assert res.exit_code == 0, res.output
    assert res.output.count("答：") == 2 and "再见" in res.output


def test_chat_ctrl_d():
    res = CliRunner().invoke(chat, [], input="")
    assert res.exit_code == 0 and "再见" in res.output


class RecordingAssistant:
    """Answers every question with its own call record, so a test sees exactly what the batch asked, in which session."""

    def __init__(self):
        self.calls: list[tuple[str, str | None, str | None]] = []

    def ask(self, question, *, as_of=None, session_id=None, id=None):
        self.calls.append((question, session_id, id))
        return {"id": id, "question": question, "status": "answered", "answer": f"第{len(self.calls)}问",
                "citations": [], "tool_calls": [], "warnings": [], "follow_up_questions": [], "elapsed_ms": 1.0}


def test_batch_lines_sharing_a_session_id_are_one_conversation_in_file_order(tmp_path, monkeypatch):
    import assistant.service as service

    fake = RecordingAssistant()
    monkeypatch.setattr(service, "get_assistant", lambda mode=None: fake)
    f = tmp_path / "b.jsonl"
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "a1", "question": "本科毕业工作满1年能认定什么职称？", "session_id": "A"},
        {"id": "b1", "question": "特设岗位聘期几年？", "session_id": "B"},
        {"id": "x", "question": "技能大赛金奖奖金多少？"},
        {"id": "a2", "question": "那硕士呢？", "session_id": "A"},
        {"id": "n", "question": "那博士呢？", "session_id": 7},
        {"id": "bad", "question": "那博士呢？", "session_id": ["A"]},
    ]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(ask, ["--json", "--batch", str(f)])
    assert res.exit_code == 0, res.output
    assert fake.calls == [("本科毕业工作满1年能认定什么职称？", "A", "a1"), ("特设岗位聘期几年？", "B", "b1"),
                          ("技能大赛金奖奖金多少？", None, "x"), ("那硕士呢？", "A", "a2"), ("那博士呢？", "7", "n")]
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["id"] for x in lines] == ["a1", "b1", "x", "a2", "n", "bad"]
    assert lines[-1]["status"] == "error" and "session_id 应为字符串" in lines[-1]["answer"] and "第6行" in lines[-1]["answer"]


def test_batch_follow_up_is_read_in_its_session_only(tmp_path):
    """With the real assistant: "那硕士呢？" continues its own session's question; alone it has nothing to continue."""
    f = tmp_path / "b.jsonl"
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "t1", "question": "本科毕业在乡镇事业单位工作满1年，能认定什么职称？", "session_id": "s"},
        {"id": "t2", "question": "那硕士呢？", "session_id": "s"},
        {"id": "t3", "question": "那硕士呢？"},
    ]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(ask, ["--json", "--batch", str(f), "--as-of", "2026-11-26"])
    assert res.exit_code == 0, res.output
    first, follow_up, alone = (json.loads(x) for x in res.output.splitlines())
    assert follow_up["id"] == "t2" and follow_up["status"] in ("answered", "needs_more_info")
    assert "中级" in follow_up["answer"]           # 硕士 in a township unit: 中级, read against line t1
    assert follow_up["answer"] != alone["answer"]
