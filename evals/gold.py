"""Load and validate gold sets (JSONL: one question per line), with Chinese errors naming the line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from evals.errors import GoldSetError
from evals.grading import CATEGORIES, parse_expected

DEV_SET = Path(__file__).parent / "gold" / "dev.jsonl"
REQUIRED = ("id", "category", "question", "evidence", "expected_numbers", "expected_answer", "doc")
OPTIONAL = ("as_of",)  # per-item evaluation date (YYYY-MM-DD), overrides `--as-of`
MAX_ERRORS_SHOWN = 20


@dataclass(frozen=True)
class GoldItem:
    id: str
    category: str
    question: str
    evidence: tuple[str, ...]
    expected_numbers: tuple[str, ...]
    expected_answer: str
    doc: str | None
    as_of: date | None = None
    line: int = 0


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

    for key in ("id", "question"):
        if not isinstance(obj[key], str) or not obj[key].strip():
            raise GoldSetError(f"{where}：{key} 应为非空字符串")
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
    return GoldItem(id=obj["id"].strip(), category=obj["category"], question=obj["question"],
                    evidence=tuple(obj["evidence"]), expected_numbers=tuple(obj["expected_numbers"]),
                    expected_answer=obj["expected_answer"], doc=obj["doc"], as_of=as_of, line=number)
