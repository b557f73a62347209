"""The as-of date every tool is evaluated at, parsed one way for the CLIs and the web UI."""

from __future__ import annotations

import re
from datetime import date


def parse_as_of(text: str | None) -> date | None:
    """'' / None -> None (today); 'YYYY-MM-DD' (a time part is ignored) -> date; else ValueError in Chinese."""
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip()
    raw = raw[:10] if re.match(r"^\d{4}-\d{2}-\d{2}([ T].*)?$", raw) else raw
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"基准日期“{str(text).strip()[:20]}”格式不对，应为 YYYY-MM-DD，例如 2025-12-31；留空表示今天。") from None
