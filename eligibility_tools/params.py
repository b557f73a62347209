"""Dated, cited parameters read from `parameters/*.yaml`: no amount or threshold lives in Python.

Each entry names its source clause and quotes it (a test checks the quote is in that clause), or
says `source: {external: "<document>"}` for facts the compilation does not contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus.errors import CorpusError

PARAMETER_DIR = Path(__file__).resolve().parent / "parameters"


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


@lru_cache(maxsize=1)
def load_parameter_table(directory: str | None = None) -> dict[str, list[Parameter]]:
    """All parameters by name; a name may have several dated versions."""
    folder = Path(directory) if directory else PARAMETER_DIR
    table: dict[str, list[Parameter]] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as err:
            raise CorpusError(f"参数文件 {path.name} 格式有误：{err}") from err
        for name, entry in data.items():
            versions = entry.get("versions") or [entry]
            for version in versions:
                merged = {**entry, **version}
                source = merged.get("source") or {}
                if name in table and not entry.get("versions"):
                    raise CorpusError(f"参数 {name} 在多个文件中重复定义（{path.name}）。")
                table.setdefault(name, []).append(Parameter(
                    name=name, description=merged.get("description", name), unit=merged.get("unit", ""),
                    value=_decimalise(merged["values"] if "values" in merged else merged.get("value")),
                    valid_from=merged.get("valid_from"), valid_until=merged.get("valid_until"),
                    clause_id=source.get("clause_id"), quote=source.get("quote"), external=source.get("external")))
    return table


class Params:
    """The parameter table seen at one date."""

    def __init__(self, as_of: date, table: dict[str, list[Parameter]] | None = None):
        self.as_of = as_of
        self.table = table if table is not None else load_parameter_table()

    def get(self, name: str) -> Parameter:
        try:
            versions = self.table[name]
        except KeyError:
            raise CorpusError(f"缺少参数 {name}，请在 eligibility_tools/parameters/ 中补充。") from None
        in_force = [v for v in versions if v.in_force_on(self.as_of)]
        if in_force:
            return in_force[-1]
        # Nothing in force: the latest version that has started, so the tool can say it expired.
        started = [v for v in versions if v.valid_from is None or v.valid_from <= self.as_of]
        return (started or versions)[-1]
