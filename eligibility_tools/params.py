"""Dated, cited parameters read from `parameters/*.yaml`: no amount or threshold lives in Python.

Each entry names its source clause and quotes it (a test checks the quote is in that clause), or
says `source: {external: "<document>"}` for facts the compilation does not contain.

A value that changes on a date is written as `versions:` (docs/MAINTAINING.md), each version with its own
`valid_from` / `valid_until` (exclusive) and, when the new figure comes from a new clause, its own `source`:

```yaml
city_skills_contest_prize:
  description: 全市技能大赛各竞赛项目前3名奖金
  unit: CNY
  versions:
    - values: {1: 10000, 2: 8000, 3: 5000}
      valid_until: 2024-07-01
      source: {clause_id: skills-contest/a18, quote: 给予1万元、0.8万元、0.5万元的奖金奖励}
    - values: {1: 15000, 2: 8000, 3: 5000}
      valid_from: 2024-07-01
      source: {clause_id: contest-prize-2024/s1, quote: …}
```

`Params.get(name)` picks the version in force on `as_of` and never computes silently from a dead source: a
version citing a clause that is not in the corpus raises `DanglingReferenceError`; one citing a clause that is
repealed on `as_of` — or whose quoted passage is amended (documents.yaml `amends:`) while the version was written
before the amendment — raises `ClauseNotInForceError` (its `.status` names the repealing / amending clause). Both are `PolicyQAError`s:
the CLI prints them in Chinese and exits 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from corpus.errors import ClauseNotInForceError, CorpusError, DanglingReferenceError

if TYPE_CHECKING:
    from corpus.model import ClauseStatus, Corpus

PARAMETER_DIR = Path(__file__).resolve().parent / "parameters"
_VERSION_KEYS = {"value", "values", "valid_from", "valid_until", "source", "description", "unit", "note"}


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    value: Any
    valid_from: date | None
    valid_until: date | None  # exclusive
    clause_id: str | None
    quote: str | None
    external: str | None
    file: str = ""  # the parameters/*.yaml file it is defined in

    def expired_on(self, as_of: date) -> bool:
        return self.valid_until is not None and as_of >= self.valid_until

    def in_force_on(self, as_of: date) -> bool:
        return not self.expired_on(as_of) and (self.valid_from is None or as_of >= self.valid_from)

    @property
    def last_day(self) -> date | None:
        return self.valid_until - timedelta(days=1) if self.valid_until else None

    def expiry_warning(self, as_of: date) -> str:
        end = self.last_day
        return (f"“{self.description}”的执行期限截至{end.year}年{end.month}月{end.day}日，"
                f"截至{as_of.isoformat()}已到期，请以最新政策为准。")

    def source_status(self, as_of: date, corpus: Corpus) -> ClauseStatus | None:
        """The cited clause's status on `as_of` (None for external sources); DanglingReferenceError if it is gone."""
        if not self.clause_id:
            return None
        if self.clause_id not in corpus.clauses:
            raise DanglingReferenceError(self.clause_id, f"参数“{self.name}”（eligibility_tools/parameters/{self.file}）")
        return corpus.in_force(self.clause_id, as_of)

    def check_source(self, as_of: date, corpus: Corpus) -> None:
        """Raise unless the cited clause may be computed from on `as_of` (see the module docstring)."""
        from corpus.lifecycle import passages_overlap
        from corpus.model import Status

        if self.expired_on(as_of):  # an ended version is judged on its last day: the tool says it expired
            as_of = self.last_day
        status = self.source_status(as_of, corpus)
        if status is None:
            return
        where = f"参数“{self.name}”（eligibility_tools/parameters/{self.file}）"
        if status.status == Status.repealed:
            raise ClauseNotInForceError(where, status, "如需按废止前的规定计算，请指定废止前的日期（--as-of）。")
        reviewed = self.valid_from is not None and status.since is not None and self.valid_from >= status.since
        if status.status == Status.amended and not reviewed and passages_overlap(status.quote, self.quote):
            raise ClauseNotInForceError(
                where, status, f"请在该参数下增加 versions: 条目（valid_from: {status.since.isoformat()}，引用修改后的条款 "
                f"{status.by}），并给原版本写 valid_until，见 docs/MAINTAINING.md。")

    def use(self):
        from eligibility_tools.base import ParameterUse

        source = self.clause_id or f"external: {self.external}"
        return ParameterUse(name=self.name, value=_plain(self.value), source=source, quote=self.quote)

    def __getitem__(self, key: str) -> Any:
        return self.value[key]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _decimalise(value: Any) -> Any:
    """YAML floats become exact Decimals (0.8万 must stay 8000, never 7999.999…)."""
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, dict):
        return {k: _decimalise(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimalise(v) for v in value]
    return value


def _date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CorpusError(f"{where} 的日期“{value}”格式有误，应为 YYYY-MM-DD。") from None


def _versions(name: str, entry: Any, file: str) -> list[Parameter]:
    where = f"参数文件 {file} 中的 {name}"
    if not isinstance(entry, dict):
        raise CorpusError(f"{where} 应为映射（description、unit、value(s)、source …）。")
    raw_versions = entry.get("versions")
    if raw_versions is not None and (not isinstance(raw_versions, list) or not raw_versions):
        raise CorpusError(f"{where} 的 versions 应为非空列表，每项写 value(s)、valid_from/valid_until 和 source。")
    out = []
    for n, version in enumerate(raw_versions or [entry], 1):
        at = f"{where}（versions 第{n}项）" if raw_versions else where
        if raw_versions:
            unknown = set(version) - _VERSION_KEYS
            if unknown:
                raise CorpusError(f"{at} 有未知的键：{'、'.join(sorted(unknown))}。")
        merged = {k: v for k, v in entry.items() if k != "versions"} | version
        if "values" not in merged and "value" not in merged:
            raise CorpusError(f"{at} 缺少 value 或 values。")
        source = merged.get("source") or {}
        if not source.get("clause_id") and not source.get("external"):
            raise CorpusError(f"{at} 缺少 source（clause_id + quote，或 external）。")
        out.append(Parameter(
            name=name, description=merged.get("description", name), unit=merged.get("unit", ""),
            value=_decimalise(merged["values"] if "values" in merged else merged.get("value")),
            valid_from=_date(merged.get("valid_from"), at), valid_until=_date(merged.get("valid_until"), at),
            clause_id=source.get("clause_id"), quote=source.get("quote"), external=source.get("external"), file=file))
    out.sort(key=lambda p: p.valid_from or date.min)
    for a, b in zip(out, out[1:], strict=False):
        if a.valid_until is None or b.valid_from is None or a.valid_until > b.valid_from:
            raise CorpusError(f"{where} 的各版本日期重叠：每个较早版本须写 valid_until，且不晚于下一版本的 valid_from"
                              "（valid_until 不含当日）。")
    for p in out:
        if p.valid_from and p.valid_until and p.valid_until <= p.valid_from:
            raise CorpusError(f"{where} 的 valid_until 应晚于 valid_from。")
    return out


@lru_cache(maxsize=4)
def load_parameter_table(directory: str | None = None) -> dict[str, list[Parameter]]:
    """All parameters by name; a name may have several dated versions (earliest first)."""
    folder = Path(directory) if directory else PARAMETER_DIR
    table: dict[str, list[Parameter]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as err:
            raise CorpusError(f"参数文件 {path.name} 格式有误：{err}") from err
        for name, entry in data.items():
            if name in table:
                raise CorpusError(f"参数 {name} 在多个文件中重复定义（{table[name][0].file}、{path.name}）。"
                                  "同一参数的不同日期版本请写在一个条目的 versions: 下。")
            table[name] = _versions(name, entry, path.name)
    return table


class Params:
    """The parameter table seen at one date; `corpus` (default: the bundled one) is where sources are checked."""

    def __init__(self, as_of: date, table: dict[str, list[Parameter]] | None = None, corpus: Corpus | None = None):
        self.as_of = as_of
        self.table = table if table is not None else load_parameter_table()
        self._corpus = corpus

    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            from corpus.loader import load_corpus

            self._corpus = load_corpus()
        return self._corpus

    def get(self, name: str) -> Parameter:
        try:
            versions = self.table[name]
        except KeyError:
            raise CorpusError(f"缺少参数 {name}，请在 eligibility_tools/parameters/ 中补充。") from None
        in_force = [v for v in versions if v.in_force_on(self.as_of)]
        if in_force:
            chosen = in_force[-1]
        else:
            # Nothing in force: the latest version that has started, so the tool can say it expired.
            started = [v for v in versions if v.valid_from is None or v.valid_from <= self.as_of]
            chosen = (started or versions)[-1]
        chosen.check_source(self.as_of, self.corpus)
        return chosen
