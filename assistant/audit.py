"""Answer audit trail: every answer given (web UI, REST, OpenAI-compatible API) is stored as given, so staff can see
which clause text an answer relied on even after the policy changed.

Each row of the feedback store's ``answers`` table (assistant/feedback.py, the same embedded SQLite file) holds the
masked question and contract, the as-of date, the channel, a hash of the session, and the provenance: the corpus
fingerprint (sha256 of the policy text), the index fingerprint (its manifest checksum) and the code version. Rows
older than ``POLICY_QA_AUDIT_RETENTION_DAYS`` are deleted (with their votes) at most once an hour.

    trail = AuditTrail(FeedbackStore(FeedbackStore.default_path()))
    assistant = AuditedAssistant(get_assistant(), trail)   # ask() records every answer
    with audit_context(channel="rest"):
        assistant.ask("技能大赛金奖奖金多少？")

Recording never costs the user the answer: a failure to write is logged and the answer returned as usual.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)

PURGE_EVERY_S = 3600.0
REPO_ROOT = Path(__file__).resolve().parents[1]


class AuditSettings(BaseSettings):
    """`POLICY_QA_AUDIT_ENABLED`, `POLICY_QA_AUDIT_RETENTION_DAYS`."""

    model_config = SettingsConfigDict(env_prefix="POLICY_QA_AUDIT_", extra="forbid")

    enabled: bool = Field(default=True, description="是否记录每个回答（审计留痕）")
    retention_days: int = Field(default=365, ge=1, le=36500, description="回答记录保留天数，过期自动删除（连同其评价）")


# Who is asking, set by the edge that received the question (the web UI leaves the default).
_channel: contextvars.ContextVar[str] = contextvars.ContextVar("audit_channel", default="web")
_session: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_session", default=None)
_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_suppressed", default=False)
_last_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_last_id", default=None)


@contextlib.contextmanager
def audit_context(channel: str, session_id: str | None = None) -> Iterator[None]:
    """Answers given inside are recorded under `channel` (and `session_id` instead of the assistant's own session,
    e.g. the conversation of an OpenAI-compatible client)."""
    tokens = [_channel.set(channel), _session.set(session_id)]
    try:
        yield
    finally:
        _session.reset(tokens[1])
        _channel.reset(tokens[0])


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Answers given inside are not recorded (the warm-up question, a replayed conversation)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def last_answer_id() -> str | None:
    """The audit id of the last answer recorded in this context (the REST API returns it as X-Answer-Id)."""
    return _last_id.get()


# ---------------------------------------------------------------- provenance

@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Package version plus the git commit when running from a checkout (`0.1.0+190eca0`, `+dirty` with changes)."""
    try:
        from importlib.metadata import version

        base = version("wuhai-policy-qa")
    except Exception:
        base = "unknown"
    if not (REPO_ROOT / ".git").exists():
        return base
    try:
        commit = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return base
    return f"{base}+{commit}{'.dirty' if dirty else ''}" if commit else base


def corpus_fingerprint() -> str:
    from corpus.loader import load_corpus

    return str(load_corpus().source_sha256)[:16]


_index_cache: dict[str, Any] = {}
_index_lock = threading.Lock()


def index_fingerprint() -> str | None:
    """The index manifest's checksum (first 16 hex digits), re-read only when the manifest file changes."""
    from indexing.config import IndexSettings

    path = IndexSettings().index_dir / "manifest.json"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    with _index_lock:
        if _index_cache.get("stamp") != stamp:
            from indexing.index import IndexProblem, read_manifest

            try:
                manifest = read_manifest(IndexSettings())
                value = str(manifest.get("manifest_sha256") or "")[:16] or None
            except (IndexProblem, OSError):
                value = None
            _index_cache.update(stamp=stamp, value=value)
        return _index_cache["value"]


def provenance() -> dict[str, str | None]:
    """What an answer was computed from: corpus and index fingerprints and the code version."""
    try:
        corpus = corpus_fingerprint()
    except Exception:  # provenance is best effort; the answer itself was produced
        corpus = None
    return {"corpus_fingerprint": corpus, "index_fingerprint": index_fingerprint(), "code_version": code_version()}


# ---------------------------------------------------------------- recording

class AuditTrail:
    """Writes answers to the feedback store's `answers` table and applies the retention period."""

    def __init__(self, store: Any, settings: AuditSettings | None = None):
        self.store = store
        self.settings = settings or AuditSettings()
        self._purged_at = 0.0
        self._lock = threading.Lock()

    def record(self, question: str, contract: dict, *, as_of: date | str | None, session_id: str | None,
               channel: str) -> str | None:
        """Store one answer; returns its id (None when auditing is off or the write failed — logged, not raised)."""
        if not self.settings.enabled or not isinstance(contract, dict):
            return None
        try:
            answer_id = self.store.record_answer(question, contract, as_of=as_of or date.today(), session_id=session_id,
                                                 channel=channel, provenance=provenance())
            self._maybe_purge()
            return answer_id
        except Exception:
            log.exception("audit trail: answer could not be stored")
            return None

    def purge(self, now: datetime | None = None) -> int:
        cutoff = ((now or datetime.now()) - timedelta(days=self.settings.retention_days)).strftime("%Y-%m-%dT%H:%M:%S")
        return self.store.purge_before(cutoff)

    def _maybe_purge(self) -> None:
        now = time.monotonic()
        with self._lock:
            if self._purged_at and now - self._purged_at < PURGE_EVERY_S:
                return
            self._purged_at = now
        gone = self.purge()
        if gone:
            log.info("audit trail: %d answers past the retention period deleted", gone)


class AuditedAssistant:
    """An assistant whose every answer is recorded; `inner=None` means the process-wide real one, created on first use."""

    def __init__(self, inner: Any | None, trail: AuditTrail):
        self._inner = inner
        self.trail = trail
        self._lock = threading.Lock()

    @property
    def inner(self) -> Any:
        if self._inner is None:
            with self._lock:
                if self._inner is None:
                    from assistant.service import get_assistant

                    self._inner = get_assistant()
        return self._inner

    def __getattr__(self, name: str) -> Any:  # settings, sessions, warm_up … of the wrapped assistant
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def ask(self, question: str, *, as_of: date | None = None, session_id: str | None = None, **kwargs: Any) -> dict:
        contract = self.inner.ask(question, as_of=as_of, session_id=session_id, **kwargs)
        if not _suppressed.get():
            answer_id = self.trail.record(question, contract, as_of=as_of, session_id=_session.get() or session_id,
                                          channel=_channel.get())
            _last_id.set(answer_id)
        return contract


def audited(inner: Any | None, feedback_path: Path | str | None = None, settings: AuditSettings | None = None) -> AuditedAssistant:
    """`inner` (None: the real assistant) recording into the feedback store at `feedback_path` (default under the data dir)."""
    from assistant.feedback import FeedbackStore

    return AuditedAssistant(inner, AuditTrail(FeedbackStore(feedback_path or FeedbackStore.default_path()), settings))


# ---------------------------------------------------------------- the staff dashboard's figures

STATUS_ZH = {"answered": "已回答", "needs_more_info": "需补充信息", "out_of_scope": "超出范围（拒答）", "error": "出错"}
ROW_FIELDS = ["answer_id", "created_at", "channel", "question", "as_of", "status", "conclusion", "rating", "reason",
              "comment", "corpus_fingerprint", "index_fingerprint", "code_version", "link"]
NO_TOPIC = "（未引用条款）"
OTHER = "其他"


def answer_link(answer_id: str) -> str:
    """Where the answer as given can be fetched (contract, as-of date, fingerprints)."""
    return f"/api/v1/answers/{answer_id}"


def week_of(created_at: str) -> str:
    """ISO week of a stored timestamp: "2026-W48"."""
    day = date.fromisoformat(str(created_at)[:10])
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _row(item: dict) -> dict:
    out = {k: item.get(k) for k in ROW_FIELDS if k not in ("answer_id", "link")}
    out["answer_id"] = item["id"]
    out["link"] = answer_link(item["id"])
    return {k: out.get(k) for k in ROW_FIELDS}


def _first_citation(item: dict) -> dict:
    cites = (item.get("contract") or {}).get("citations") or []
    return cites[0] if cites and isinstance(cites[0], dict) else {}


def _counted(pairs: list[tuple[str, str]], top: int) -> list[dict]:
    """[(week, key)] -> rows {week, key, count}; keys outside the `top` most frequent overall become 其他."""
    overall: dict[str, int] = {}
    for _, key in pairs:
        overall[key] = overall.get(key, 0) + 1
    kept = {k for k, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))[:top]}
    counts: dict[tuple[str, str], int] = {}
    for week, key in pairs:
        cell = (week, key if key in kept else OTHER)
        counts[cell] = counts.get(cell, 0) + 1
    return [{"week": w, "key": k, "count": n} for (w, k), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))]


def staff_report(store: Any, weeks: int = 8, limit: int = 200, now: datetime | None = None, top: int = 8) -> dict:
    """What citizens could not get answered, from the stored answers of the last `weeks` weeks:

    - `declined`: answers declined as out of scope; `disliked`: answers with 👎 (and reason);
    - `unanswered_follow_ups`: `needs_more_info` answers whose session asked nothing afterwards;
    - `topics_by_week` / `clauses_by_week`: {week, key, count} (the document / clause cited first);
    - `status_by_week`: {week, status, status_zh, count, share}; `totals`: counts and shares overall.
    Every row carries `answer_id` and `link` to the answer as given. Lists are newest first, at most `limit` rows.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be > 0, got {weeks}")
    since = ((now or datetime.now()) - timedelta(weeks=weeks)).strftime("%Y-%m-%dT00:00:00")
    items = store.answers_since(since)
    last_in_session: dict[str, int] = {}
    for position, item in enumerate(items):  # oldest first (then by insertion): each session's last question
        if item.get("session_hash"):
            last_in_session[item["session_hash"]] = position
    declined, disliked, unanswered = [], [], []
    topics, clauses, statuses = [], [], []
    totals: dict[str, int] = {s: 0 for s in STATUS_ZH}
    for position, item in enumerate(items):
        status = str(item.get("status") or "")
        week = week_of(item["created_at"])
        totals[status] = totals.get(status, 0) + 1
        statuses.append((week, status))
        if status == "out_of_scope":
            declined.append(_row(item))
        if item.get("rating") == "down":
            disliked.append(_row(item))
        if status == "needs_more_info":
            session = item.get("session_hash")
            if not session or last_in_session.get(session, -1) <= position:
                unanswered.append(_row(item))
        cite = _first_citation(item)
        if status in ("answered", "needs_more_info"):
            topics.append((week, str(cite.get("document") or NO_TOPIC)))
            if cite.get("label"):
                clauses.append((week, str(cite["label"])))
    asked = sum(totals.values())
    status_rows = []
    per_week: dict[str, int] = {}
    for week, _ in statuses:
        per_week[week] = per_week.get(week, 0) + 1
    for row in _counted(statuses, top=len(STATUS_ZH) + 5):
        status_rows.append({"week": row["week"], "status": row["key"], "status_zh": STATUS_ZH.get(row["key"], row["key"]),
                            "count": row["count"], "share": round(row["count"] / per_week[row["week"]], 3)})
    return {
        "since": since[:10], "weeks": weeks,
        "totals": {"asked": asked, **totals,
                   "shares": {s: round(n / asked, 3) if asked else 0.0 for s, n in totals.items()}},
        "declined": declined[::-1][:limit], "disliked": disliked[::-1][:limit], "unanswered_follow_ups": unanswered[::-1][:limit],
        "topics_by_week": _counted(topics, top), "clauses_by_week": _counted(clauses, top), "status_by_week": status_rows,
    }


REPORT_SECTIONS = {"declined": "拒答", "disliked": "差评", "unanswered_follow_ups": "追问未回复",
                   "topics_by_week": "每周热门主题", "clauses_by_week": "每周热门条款", "status_by_week": "每周回答结果占比"}


def report_rows(report: dict) -> list[dict]:
    """The report as one flat table (for `policy-qa feedback export --dashboard`): a `section` column, then the row."""
    out = []
    for section, title in REPORT_SECTIONS.items():
        for row in report.get(section) or []:
            out.append({"section": section, "section_zh": title, **row})
    return out
