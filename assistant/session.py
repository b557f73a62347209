"""In-memory conversation state keyed by session id: a bounded LRU with a time-to-live.

A session remembers the last question's intents, slots and question text, so that a follow-up such as
"那硕士呢？", "如果是在村里呢？" or "我们有12个人" is answered as the previous question with the new facts.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from assistant.slots import Slots

# A short turn that starts like these, or that consists mainly of facts, continues the previous question.
_FOLLOW_UP = re.compile(r"^(那|那么|如果|要是|假如|假设|换成|改成|还有|再问|另外|我们有|我有|他有|她有|如果是|要是是|那要是|那如果)")
_FOLLOW_UP_END = re.compile(r"(呢|的话|怎么样|怎么办|行吗|可以吗|呀)[？?。！!]*$")


@dataclass
class Turn:
    question: str
    intents: list[str]
    slots: Slots
    status: str
    pending_facts: list[str] = field(default_factory=list)  # facts asked for in needs_more_info
    tool_calls: list[str] = field(default_factory=list)  # "name + arguments" of the runs that answered this turn


@dataclass
class Session:
    session_id: str
    turns: list[Turn] = field(default_factory=list)
    touched: float = field(default_factory=time.monotonic)

    @property
    def last(self) -> Turn | None:
        return self.turns[-1] if self.turns else None


def is_follow_up(question: str, slots: Slots, has_own_intent: bool) -> bool:
    """Whether a turn continues the previous one rather than asking something new."""
    q = question.strip()
    if _FOLLOW_UP.search(q) or (len(q) <= 14 and _FOLLOW_UP_END.search(q)):
        return True
    # a bare fact ("我们有12个人", "本科，干了3年") without a topic of its own
    return len(q) <= 16 and bool(slots.values) and not has_own_intent


class SessionStore:
    """Bounded LRU of sessions with a TTL; thread-safe (the web UI serves several users)."""

    def __init__(self, max_sessions: int = 1000, ttl_seconds: float = 3600.0, max_turns: int = 20):
        if max_sessions <= 0:
            raise ValueError(f"max_sessions must be > 0, got {max_sessions}")
        if ttl_seconds <= 0:
            raise ValueError(f"ttl_seconds must be > 0, got {ttl_seconds}")
        self.max_sessions = max_sessions
        self.ttl_seconds = ttl_seconds
        self.max_turns = max_turns
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session_id: str) -> Session:
        now = time.monotonic()
        with self._lock:
            self._expire(now)
            session = self._sessions.get(session_id)
            if session is None:
                session = Session(session_id)
                self._sessions[session_id] = session
                while len(self._sessions) > self.max_sessions:
                    self._sessions.popitem(last=False)
            else:
                self._sessions.move_to_end(session_id)
            session.touched = now
            return session

    def record(self, session_id: str, turn: Turn) -> None:
        session = self.get(session_id)
        with self._lock:
            session.turns.append(turn)
            del session.turns[:-self.max_turns]

    def clear(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def __len__(self) -> int:
        return len(self._sessions)

    def _expire(self, now: float) -> None:
        stale = [sid for sid, s in self._sessions.items() if now - s.touched > self.ttl_seconds]
        for sid in stale:
            del self._sessions[sid]
