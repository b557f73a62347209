"""Load and validate gold sets (JSONL: one question per line), with Chinese errors naming the line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from evals.errors import GoldSetError
from evals.grading import CATEGORIES, VERDICTS, parse_expected

GOLD_DIR = Path(__file__).parent / "gold"
DEV_SET = GOLD_DIR / "dev.jsonl"
CITIZEN_SET = GOLD_DIR / "dev_citizen.jsonl"
REQUIRED = ("id", "category", "question", "evidence", "expected_numbers", "expected_answer", "doc")
# as_of: per-item evaluation date (YYYY-MM-DD), overrides `--as-of`;
# expected_status / expected_verdict: what the citizens'-style set grades exactly (null = not graded)
OPTIONAL = ("as_of", "expected_status", "expected_verdict")
EXPECTED_STATUSES = ("answered", "needs_more_info", "out_of_scope")
MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class GoldItem:
    """One gold question. `question` is a string, or a tuple of turns for a conversation (only the last is graded)."""

    id: str
    category: str
    question: str | tuple[str, ...]
    evidence: tuple[str, ...]
    expected_numbers: tuple[str, ...]
    expected_answer: str
    doc: str | None
    as_of: date | None = None
    line: int = 0
    expected_status: str | None = None
    expected_verdict: str | None = None

    @property
    def turns(self) -> tuple[str, ...]:
        return (self.question,) if isinstance(self.question, str) else tuple(self.question)

    @property
    def last_question(self) -> str:
        """The graded turn: the question itself, or the last turn of a conversation."""
        return self.turns[-1]


def load_gold(path: str | Path = DEV_SET) -> list[GoldItem]:
    """Every item of a gold set, in file order; GoldSetError listing every bad line otherwise."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as err:
        raise GoldSetError(f"找不到金标准文件 {path}，请检查 --gold 路径（默认 {DEV_SET}）。") from err
    except (OSError, UnicodeDecodeError) as err:
        raise GoldSetError(f"无法读取金标准文件 {path}：{err}。文件须为 UTF-8 编码的 JSONL。") from err

    items: list[GoldItem] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = parse_gold_line(line, number)
        except GoldSetError as err:
            errors.append(str(err))
            continue
        if item.id in seen:
            errors.append(f"第{number}行：id “{item.id}” 与第{seen[item.id]}行重复")
            continue
        seen[item.id] = number
        items.append(item)
    if not items and not errors:
        errors.append("文件中没有任何题目")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = f"\n……另有 {len(errors) - len(shown)} 处错误" if len(errors) > len(shown) else ""
        raise GoldSetError(f"金标准文件 {path} 有 {len(errors)} 处错误：\n" + "\n".join(shown) + more)
    return items


def parse_gold_line(line: str, number: int = 0) -> GoldItem:
    """One JSONL line -> GoldItem; GoldSetError("第N行：…") on any problem."""
    where = f"第{number}行"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise GoldSetError(f"{where}：不是合法的 JSON（第{err.colno}列：{err.msg}）") from err
    if not isinstance(obj, dict):
        raise GoldSetError(f"{where}：应为 JSON 对象，实际为 {type(obj).__name__}")
    missing = [k for k in REQUIRED if k not in obj]
    if missing:
        raise GoldSetError(f"{where}：缺少字段 {', '.join(missing)}")
    unknown = sorted(set(obj) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise GoldSetError(f"{where}：未知字段 {', '.join(unknown)}（允许的字段：{', '.join(REQUIRED + OPTIONAL)}）")

    if not isinstance(obj["id"], str) or not obj["id"].strip():
        raise GoldSetError(f"{where}：id 应为非空字符串")
    question = obj["question"]
    if isinstance(question, list):
        if not question or not all(isinstance(q, str) and q.strip() for q in question):
            raise GoldSetError(f"{where}：question 为列表（多轮对话）时，应为非空字符串组成的非空列表")
        question = tuple(question)
    elif not isinstance(question, str) or not question.strip():
        raise GoldSetError(f"{where}：question 应为非空字符串，或多轮对话的字符串列表")
    if obj["category"] not in CATEGORIES:
        raise GoldSetError(f"{where}：category “{obj['category']}” 无效，应为 {' / '.join(CATEGORIES)} 之一")
    for key in ("evidence", "expected_numbers"):
        value = obj[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise GoldSetError(f"{where}：{key} 应为非空字符串组成的列表")
    if not isinstance(obj["expected_answer"], str):
        raise GoldSetError(f"{where}：expected_answer 应为字符串")
    if obj["doc"] is not None and not isinstance(obj["doc"], str):
        raise GoldSetError(f"{where}：doc 应为字符串或 null")
    for raw in obj["expected_numbers"]:
        try:
            parse_expected(raw)
        except ValueError as err:
            raise GoldSetError(f"{where}：expected_numbers 中的 “{raw}” 无法解析：{err}") from err
    as_of = None
    if obj.get("as_of") is not None:
        try:
            as_of = date.fromisoformat(str(obj["as_of"]))
        except ValueError as err:
            raise GoldSetError(f"{where}：as_of “{obj['as_of']}” 应为 YYYY-MM-DD 日期") from err
    expected_status = obj.get("expected_status")
    if expected_status is not None and expected_status not in EXPECTED_STATUSES:
        raise GoldSetError(f"{where}：expected_status “{expected_status}” 无效，应为 {' / '.join(EXPECTED_STATUSES)} 之一或 null")
    expected_verdict = obj.get("expected_verdict")
    if expected_verdict is not None and expected_verdict not in VERDICTS:
        raise GoldSetError(f"{where}：expected_verdict “{expected_verdict}” 无效，应为 {' / '.join(VERDICTS)} 之一或 null")
    return GoldItem(id=obj["id"].strip(), category=obj["category"], question=question,
                    evidence=tuple(obj["evidence"]), expected_numbers=tuple(obj["expected_numbers"]),
                    expected_answer=obj["expected_answer"], doc=obj["doc"], as_of=as_of, line=number,
                    expected_status=expected_status, expected_verdict=expected_verdict)
