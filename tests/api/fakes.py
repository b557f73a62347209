"""A fake assistant with sessions (follow-ups read the previous turn), built on the UI tests' fake."""

from __future__ import annotations

from datetime import date

from tests.ui.fakes import FakeAssistant


class FakeSessions:
    def __init__(self):
        self.turns: dict[str, list[str]] = {}
        self.cleared: list[str] = []

    def clear(self, session_id: str) -> None:
        self.cleared.append(session_id)
        self.turns.pop(session_id, None)


class SessionFakeAssistant(FakeAssistant):
    """"那银奖呢？" after a question about 金奖 in the same session is answered about 银奖 (8000元)."""

    def __init__(self):
        super().__init__()
        self.sessions = FakeSessions()

    def ask(self, question: str, *, as_of: date | None = None, session_id: str | None = None, id: str | None = None) -> dict:
        earlier = self.sessions.turns.setdefault(session_id, []) if session_id else []
        follow_up = question.strip().startswith("那") and any("金奖" in q for q in earlier)
        out = super().ask("技能大赛银奖奖金多少？" if follow_up else question, as_of=as_of, session_id=session_id, id=id)
        out["question"] = question
        if follow_up:
            out["conclusion"] = "全市技能大赛银奖奖金0.8万元。"
            out["answer"] = out["answer"].replace("金奖奖金1万元", "银奖奖金0.8万元（8000元）")
        if session_id:
            earlier.append(question)
        return out
