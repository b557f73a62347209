"""Regression floors: minimum (and maximum) metric values per run and category, from floors.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from evals.errors import EvalError
from evals.grading import SUMMARY_KEYS
from evals.runner import RunSpec

FLOORS_FILE = Path(__file__).parent / "floors.yaml"
CITIZEN_FLOORS_FILE = Path(__file__).parent / "floors_citizen.yaml"
# Floors are per gold set: the figures of one set say nothing about another.
FLOORS_BY_GOLD = {"dev.jsonl": FLOORS_FILE, "dev_citizen.jsonl": CITIZEN_FLOORS_FILE}


def floors_file_for(gold: str | Path) -> Path:
    """The floors file of a gold set (by file name); floors.yaml for any set without its own."""
    return FLOORS_BY_GOLD.get(Path(gold).name, FLOORS_FILE)


@dataclass(frozen=True)
class Floor:
    run: str        # e.g. retrieval:hybrid, assistant:deterministic
    category: str   # ALL or a gold category
    metric: str     # a key of the summary (hit@1, numbers_ok, cite_len_max …)
    bound: str      # min (floor) | max (ceiling, for latency and cited-text length)
    value: float

    def check(self, summaries: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> str | None:
        """None when met; otherwise a Chinese message naming run, category, metric, floor and what we got."""
        got = summaries.get(self.run, {}).get(self.category, {}).get(self.metric)
        ok = got is not None and (got >= self.value if self.bound == "min" else got <= self.value)
        if ok:
            return None
        word = "下限" if self.bound == "min" else "上限"
        return f"{self.run} / {self.category} / {self.metric}：{word} {self.value:g}，实际 {got}"


def _read(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise EvalError(f"无法读取回归底线文件 {path}：{err}") from err
    if not isinstance(data, dict):
        raise EvalError(f"{path}：应为 YAML 映射（runs: …）")
    return data


def floors_as_of(path: str | Path = FLOORS_FILE) -> date | None:
    """The evaluation date the floors were measured at (top-level `as_of:`), None when the file sets none.

    A set with expiry questions grades differently on another day, so its floors are checked on this date.
    """
    path = Path(path)
    value = _read(path).get("as_of")
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as err:
        raise EvalError(f"{path}：as_of “{value}” 应为 YYYY-MM-DD 日期") from err


def load_floors(path: str | Path = FLOORS_FILE) -> list[Floor]:
    """Parse a floors file: `runs: {<run>: {min: {<category>: {<metric>: value}}, max: {...}}}` (optional `as_of:`)."""
    path = Path(path)
    data = _read(path)
    floors: list[Floor] = []
    for run, bounds in (data.get("runs") or {}).items():
        kind, _, mode = str(run).partition(":")
        try:
            RunSpec(kind, mode)
        except ValueError as err:
            raise EvalError(f"{path}：运行名 “{run}” 无效（应如 retrieval:hybrid、assistant:deterministic）") from err
        for bound, by_category in (bounds or {}).items():
            if bound not in ("min", "max"):
                raise EvalError(f"{path}：{run} 下只能有 min / max，发现 “{bound}”")
            for category, metrics in (by_category or {}).items():
                for metric, value in (metrics or {}).items():
                    if metric not in SUMMARY_KEYS:
                        raise EvalError(f"{path}：{run}/{category} 的指标 “{metric}” 未知，可用：{', '.join(SUMMARY_KEYS)}")
                    if not isinstance(value, int | float):
                        raise EvalError(f"{path}：{run}/{category}/{metric} 的值应为数字，实际 {value!r}")
                    floors.append(Floor(str(run), str(category), metric, bound, float(value)))
    return floors


def check_floors(summaries: Mapping[str, Mapping[str, Mapping[str, Any]]], floors: list[Floor]) -> list[str]:
    """Every violated floor as a message; `summaries` maps run name -> report summary."""
    return [msg for f in floors if (msg := f.check(summaries)) is not None]


def runs_needed(floors: list[Floor]) -> list[RunSpec]:
    seen: dict[str, RunSpec] = {}
    for f in floors:
        kind, _, mode = f.run.partition(":")
        seen.setdefault(f.run, RunSpec(kind, mode))
    return list(seen.values())
