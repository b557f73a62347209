"""Citizens' 👍/👎 on answers, kept in an embedded SQLite database under the data dir (no external service).

The file has two tables so that an answer audit trail and a staff dashboard can be built on it later
without a migration:

- ``answers``: one row per answer shown to someone — a stable id, when, the masked question, the as-of
  date, status, conclusion, the masked answer contract (JSON), a hash of the session and the channel.
  ``record_answer`` writes it; the web UI calls it when someone votes, an audit trail would call it on
  every answer.
- ``feedback``: at most one vote per answer (the latest wins, so changing 👍 to 👎 replaces it) —
  rating ``up``/``down``, an optional reason from :data:`REASONS` and an optional comment.

Personal data is masked before anything is written (身份证号, 手机号 and whatever else the assistant's log
masking covers), in the question, the comment and every string inside the contract.

    store = FeedbackStore(FeedbackStore.default_path())
    store.record_feedback(rating="down", reason="数字不对", question=q, contract=c, as_of=date.today())
    print(store.export("csv"))
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

RATINGS = ("up", "down")
RATING_ZH = {"up": "有帮助", "down": "没帮助"}
REASONS = ("答非所问", "数字不对", "引用不对", "应该能回答", "其他")
FORMATS = ("csv", "jsonl")
DB_NAME = "feedback.sqlite3"
SCHEMA_VERSION = 2  # 2: answers carry the provenance of the audit trail (assistant/audit.py)
# Columns added after version 1, created on first open of an older file (ALTER TABLE … ADD COLUMN).
PROVENANCE_COLUMNS = ("corpus_fingerprint", "index_fingerprint", "code_version")
# A vote cast by the web UI on an answer the audit trail already stored is linked to that row when the same
# session asked the same question with the same outcome this long ago at most (the UI's own ids differ).
LINK_WINDOW_S = 24 * 3600
MAX_ID_CHARS = 64
MAX_COMMENT_CHARS = 500
MAX_QUESTION_CHARS = 2000
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A spreadsheet runs a cell that starts with one of these as a formula; exported citizen text must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    id            TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    question      TEXT NOT NULL,
    as_of         TEXT,
    status        TEXT NOT NULL,
    conclusion    TEXT NOT NULL,
    contract_json TEXT NOT NULL,
    session_hash  TEXT,
    channel       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_created ON answers (created_at);
CREATE TABLE IF NOT EXISTS feedback (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id   TEXT NOT NULL UNIQUE REFERENCES answers (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    rating      TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    reason      TEXT,
    comment     TEXT
);
CREATE INDEX IF NOT EXISTS feedback_created ON feedback (created_at);
"""

EXPORT_COLUMNS = ["feedback_id", "created_at", "updated_at", "rating", "rating_zh", "reason", "comment", "answer_id",
                  "answered_at", "question", "as_of", "status", "conclusion", "channel", "contract"]


@dataclass(frozen=True)
class FeedbackRecord:
    """One stored vote."""

    id: int
    answer_id: str
    rating: str
    reason: str | None
    comment: str | None
    created_at: str
    updated_at: str


def _pii_masker() -> Callable[[str], str]:
    """The assistant's own masking (the one its question log uses), so both stores mask alike."""
    try:
        from assistant.privacy import mask_pii  # the dedicated module, when it exists
    except ImportError:
        from assistant.service import mask_pii
    return mask_pii


def mask_deep(value: Any, mask: Callable[[str], str]) -> Any:
    """Every string inside a JSON-like value masked (keys are ours and stay as they are)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: mask_deep(v, mask) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_deep(v, mask) for v in value]
    return value


def conclusion_of(contract: dict) -> str:
    """The contract's one-sentence conclusion: its `conclusion` field, else the answer's 结论 line, else its first line."""
    text = str(contract.get("conclusion") or "").strip()
    if text:
        return text
    lines = [line.strip() for line in str(contract.get("answer") or "").splitlines() if line.strip()]
    for line in lines:
        if line.startswith("结论："):
            return line[len("结论："):].strip()
    return lines[0] if lines else ""


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def _as_of_text(as_of: date | str | None) -> str | None:
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, date):
        return as_of.isoformat()
    return date.fromisoformat(str(as_of).strip()[:10]).isoformat()


def _session_hash(session_id: str | None) -> str | None:
    if not session_id:
        return None
    return hashlib.sha256(str(session_id).encode("utf-8")).hexdigest()[:16]


def _check_id(answer_id: str) -> str:
    if not isinstance(answer_id, str) or not _ID.match(answer_id):
        raise ValueError(f"回答编号无效：应为1到{MAX_ID_CHARS}个字母、数字、下划线或连字符。")
    return answer_id


class FeedbackStore:
    """Answers and votes in one SQLite file. Safe to share between threads (one connection per call)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if self.path.exists() and self.path.is_dir():
            raise ValueError(f"反馈数据库路径是一个目录：{self.path}，请指定文件路径。")
        self._mask = _pii_masker()
        self._ready = False
        self._lock = threading.Lock()

    @staticmethod
    def default_path(data_dir: Path | str | None = None) -> Path:
        """`<POLICY_QA_DATA_DIR or ./data>/feedback.sqlite3`."""
        base = Path(data_dir) if data_dir else Path(os.environ.get("POLICY_QA_DATA_DIR") or Path.cwd() / "data")
        return base / DB_NAME

    # ------------------------------------------------------------------ connection
    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    with self._open() as conn:
                        conn.executescript(_SCHEMA)
                        _add_columns(conn)
                        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                                     (str(SCHEMA_VERSION),))
                    self._ready = True
        return self._open()

    def ensure_schema(self) -> None:
        """Create (or upgrade) the tables now."""
        with self._connect():
            pass

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 10000")
        return _Closing(conn)

    # ------------------------------------------------------------------ writing
    def record_answer(self, question: str, contract: dict, *, as_of: date | str | None = None,
                      session_id: str | None = None, answer_id: str | None = None, channel: str = "web",
                      provenance: dict | None = None) -> str:
        """Store one answer (masked); returns its id. Recording the same id again keeps the first copy.
        `provenance` (the audit trail's corpus/index fingerprints and code version) is stored with it."""
        answer_id = _check_id(answer_id) if answer_id is not None else uuid.uuid4().hex
        if not isinstance(contract, dict):
            raise ValueError("contract 必须是回答契约对象（dict）。")
        question = self._mask(str(question or contract.get("question") or "")[:MAX_QUESTION_CHARS])
        masked = mask_deep(contract, self._mask)
        payload = json.dumps(masked, ensure_ascii=False, default=str, sort_keys=False)
        prov = provenance or {}
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO answers (id, created_at, question, as_of, status, conclusion, contract_json,"
                " session_hash, channel, corpus_fingerprint, index_fingerprint, code_version)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (answer_id, _now(), question, _as_of_text(as_of), str(contract.get("status") or ""),
                 conclusion_of(masked), payload, _session_hash(session_id), str(channel)[:20],
                 *(None if prov.get(c) is None else str(prov[c])[:80] for c in PROVENANCE_COLUMNS)))
        return answer_id

    def linked_answer(self, question: str, contract: dict, session_id: str | None) -> str | None:
        """The id of an answer already stored (by the audit trail) for this session, question and outcome within
        LINK_WINDOW_S, newest first; None when there is none or no session (then nothing can be told apart)."""
        session = _session_hash(session_id)
        if session is None or not self.path.exists():
            return None
        masked_question = self._mask(str(question or contract.get("question") or "")[:MAX_QUESTION_CHARS])
        conclusion = conclusion_of(mask_deep(contract, self._mask))
        since = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - LINK_WINDOW_S))
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id FROM answers WHERE session_hash = ? AND question = ? AND status = ? AND conclusion = ?"
                " AND substr(created_at, 1, 19) >= ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
                (session, masked_question, str(contract.get("status") or ""), conclusion, since)).fetchone()
        return row["id"] if row else None

    def record_feedback(self, *, rating: str, answer_id: str | None = None, question: str | None = None,
                        contract: dict | None = None, as_of: date | str | None = None, reason: str | None = None,
                        comment: str | None = None, session_id: str | None = None, channel: str = "web") -> FeedbackRecord:
        """Store a vote on an answer: the answer is recorded first when `contract` is given (or must already
        exist under `answer_id`). One vote per answer: a new vote on the same answer replaces the old one."""
        if rating not in RATINGS:
            raise ValueError(f"评价只能是 up（有帮助）或 down（没帮助），收到：{rating!r}")
        if reason is not None and reason not in REASONS:
            raise ValueError(f"原因只能是：{'、'.join(REASONS)}；收到：{reason!r}")
        if rating == "up":
            reason = None  # the reasons explain what was wrong
        comment = self._mask(str(comment).strip()[:MAX_COMMENT_CHARS]) if comment else None
        comment = comment or None
        if contract is not None and (answer_id is None or not self._has_answer(answer_id)):
            answer_id = self.linked_answer(question or "", contract, session_id) or answer_id
        if contract is not None:
            answer_id = self.record_answer(question or "", contract, as_of=as_of, session_id=session_id,
                                           answer_id=answer_id, channel=channel)
        elif answer_id is None:
            raise ValueError("需要 answer_id（已记录的回答）或 contract（回答内容）。")
        answer_id = _check_id(answer_id)
        now = _now()
        with self._connect() as conn:
            if conn.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is None:
                raise ValueError(f"没有编号为 {answer_id} 的回答记录。")
            conn.execute(
                "INSERT INTO feedback (answer_id, created_at, updated_at, rating, reason, comment) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (answer_id) DO UPDATE SET updated_at = excluded.updated_at, rating = excluded.rating,"
                " reason = excluded.reason, comment = COALESCE(excluded.comment, feedback.comment)",
                (answer_id, now, now, rating, reason, comment))
            row = conn.execute("SELECT * FROM feedback WHERE answer_id = ?", (answer_id,)).fetchone()
        return FeedbackRecord(id=row["id"], answer_id=row["answer_id"], rating=row["rating"], reason=row["reason"],
                              comment=row["comment"], created_at=row["created_at"], updated_at=row["updated_at"])

    def _has_answer(self, answer_id: str) -> bool:
        if not self.path.exists() or not _ID.match(str(answer_id)):
            return False
        with self._connect() as conn:
            return conn.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is not None

    def purge_before(self, cutoff: str) -> int:
        """Delete answers stored before `cutoff` (ISO date or time) and their votes; returns how many answers went."""
        if not self.path.exists():
            return 0
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM feedback WHERE answer_id IN (SELECT id FROM answers WHERE created_at < ?)", (cutoff,))
                gone = conn.execute("DELETE FROM answers WHERE created_at < ?", (cutoff,)).rowcount
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return gone

    # ------------------------------------------------------------------ reading
    def answer(self, answer_id: str) -> dict | None:
        """One stored answer as given: its contract, as-of date, fingerprints, channel and vote (None when unknown)."""
        if not isinstance(answer_id, str) or not _ID.match(answer_id) or not self.path.exists():
            return None
        with self._connect() as conn:
            row = conn.execute(
                "SELECT a.*, f.rating, f.reason, f.comment FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id"
                " WHERE a.id = ?", (answer_id,)).fetchone()
        return _answer_row(row) if row else None

    def answers_since(self, since: str, limit: int = 20000) -> list[dict]:
        """Answers stored at or after `since` (ISO), oldest first, each with its vote (rating/reason/comment or None)."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            found = conn.execute(
                "SELECT a.*, f.rating, f.reason, f.comment FROM answers a LEFT JOIN feedback f ON f.answer_id = a.id"
                " WHERE a.created_at >= ? ORDER BY a.created_at, a.rowid LIMIT ?", (since, int(limit))).fetchall()
        return [_answer_row(r) for r in found]

    def rows(self) -> list[dict]:
        """Every vote joined with its answer, oldest first (the export's rows; `contract` is parsed JSON)."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            found = conn.execute(
                "SELECT f.id AS feedback_id, f.created_at, f.updated_at, f.rating, f.reason, f.comment, f.answer_id,"
                " a.created_at AS answered_at, a.question, a.as_of, a.status, a.conclusion, a.channel, a.contract_json"
                " FROM feedback f JOIN answers a ON a.id = f.answer_id ORDER BY f.id").fetchall()
        out = []
        for row in found:
            item = {k: row[k] for k in row.keys() if k != "contract_json"}
            item["rating_zh"] = RATING_ZH.get(item["rating"], item["rating"])
            item["contract"] = json.loads(row["contract_json"])
            out.append({k: item.get(k) for k in EXPORT_COLUMNS})
        return out

    def counts(self) -> dict[str, int]:
        """Totals for a dashboard: answers stored, votes, 👍, 👎 and 👎 per reason."""
        if not self.path.exists():
            return {"answers": 0, "feedback": 0, "up": 0, "down": 0}
        with self._connect() as conn:
            out = {"answers": conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0],
                   "feedback": conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]}
            for rating in RATINGS:
                out[rating] = conn.execute("SELECT COUNT(*) FROM feedback WHERE rating = ?", (rating,)).fetchone()[0]
            for reason, n in conn.execute("SELECT reason, COUNT(*) FROM feedback WHERE reason IS NOT NULL GROUP BY reason"):
                out[f"reason:{reason}"] = n
        return out

    def export(self, fmt: str, out: TextIO | None = None) -> str:
        """All votes as CSV (one row each, the contract as a JSON cell) or JSONL (one object per line).
        Writes to `out` when given; returns the text either way."""
        if fmt not in FORMATS:
            raise ValueError(f"导出格式只能是 {' 或 '.join(FORMATS)}，收到：{fmt!r}")
        rows = self.rows()
        buffer = io.StringIO()
        if fmt == "jsonl":
            for row in rows:
                buffer.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _csv_cell(k, v) for k, v in row.items()})
        text = buffer.getvalue()
        if out is not None:
            out.write(text)
        return text


def _add_columns(conn: sqlite3.Connection) -> None:
    """Bring a version-1 file up to date: the provenance columns of the audit trail."""
    have = {row[1] for row in conn.execute("PRAGMA table_info(answers)")}
    for column in PROVENANCE_COLUMNS:
        if column not in have:
            conn.execute(f"ALTER TABLE answers ADD COLUMN {column} TEXT")
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


def _answer_row(row: sqlite3.Row) -> dict:
    item = {k: row[k] for k in row.keys() if k != "contract_json"}
    item["contract"] = json.loads(row["contract_json"])
    return item


def _csv_cell(key: str, value: Any) -> Any:
    if key == "contract":
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Closing:
    """A sqlite3 connection used as `with ...:` that closes on exit (sqlite3's own context manager only commits)."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        return self._conn

    def __exit__(self, *exc) -> None:
        self._conn.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)
