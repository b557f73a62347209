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
