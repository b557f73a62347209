"""Personal data out of logs: `mask_pii(text)` masks 身份证号, 手机号, 固定电话, 银行卡号 and e-mail addresses.

Questions are logged only when `POLICY_QA_LOG_QUESTIONS` is on, and then masked; LLM-mode warnings (which may echo a
number the model repeated) go through the same function. Masking is about the real-world ways people write them:

- 身份证号: 18 digits (last may be X) or the old 15 digits, plain, with spaces or dashes between groups, in full-width
  digits (１５０３０２…); kept: the first 3 and the last 4 characters, the separators as written.
- 手机号: 11 digits starting with 1, optionally after +86 / 86 / 0086, with spaces or dashes (139-1234-5678,
  +86 139 1234 5678), in full-width digits; kept: country code, the first 3 and the last 4 digits.
- 固定电话: an area code starting with 0 (0473-2022599, (0473)2022599, 0473 2022599, 04732022599); kept: the area code.
- 银行卡号: 16 to 19 digits, plain or in groups; kept: the first 3 and the last 4 digits.
- Any other run of 11 or more digits (an unknown account or ID): the first 3 and the last 4 digits kept — unless a money
  unit follows (共计12000000000元 is an amount).
- E-mail: the first character of the name and the domain kept (z***@example.com).

A 7- or 8-digit number without an area code (the office numbers the compilation lists, 3666221) and ordinary amounts,
dates and years are left alone. Digits are masked one for one, so the text keeps its length and layout.
"""

from __future__ import annotations

import re

# Folding for matching only (one character for one): full-width ASCII, the ideographic space and the dash family.
_FOLD = {0xFF01 + i: 0x21 + i for i in range(0x5E)}
_FOLD.update({0x3000: ord(" "), 0x00A0: ord(" ")})
_FOLD.update({ord(ch): ord("-") for ch in "‐‑‒–—―−﹣"})

_SEP = r"[ \-]"  # one separator between digit groups: a space or a dash
# A run of digits, possibly split by single separators, possibly ending in X (身份证 check digit).
_DIGIT_RUN = re.compile(rf"(?<!\d)\d(?:{_SEP}?\d)*(?:{_SEP}?[Xx])?(?!\d)")
_AREA_IN_BRACKETS = re.compile(r"[(（]\s*(0\d{2,3})\s*[)）]\s*-?\s*(\d{7,8})(?!\d)")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-]*)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")

_BIRTH_18 = re.compile(r"^\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]$")
_BIRTH_15 = re.compile(r"^\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}$")
_MOBILE = re.compile(r"^(?:0{0,2}86)?1[3-9]\d{9}$")
# A long number followed by a money unit is an amount (共计12000000000元, 1200000000000.5元), not an account number.
_AMOUNT_AFTER = re.compile(r"(?:\.\d+)?\s*(?:元|块|万|亿|%)")


def _kind(digits: str, groups: int = 1, shortest_group: int = 0) -> str | None:
    """What a digit string (separators removed, written in `groups` groups, the shortest `shortest_group` long) is, or None
    when it is not personal. A card number is written in groups of 4 (or 6 + 13): a date (2026-11-30) next to a mobile
    number is not one 19-digit card, and nothing personal is written in 1-digit groups (1 2 3 … 16 is a list)."""
    if groups > 1 and shortest_group < 2:
        return None
    if _BIRTH_18.match(digits) or _BIRTH_15.match(digits):
        return "id"
    if _MOBILE.match(digits):
        return "mobile"
    if digits.startswith("0") and not digits.startswith("00") and 10 <= len(digits) <= 12:
        return "landline"
    if digits[:-1].isdigit() and (len(digits) >= 11 if groups == 1 else 16 <= len(digits) <= 19 and shortest_group >= 3):
        return "long"  # bank cards (16–19 digits, also in groups) and any other unbroken long number
    return None


def _keep_mask(digits: str, kind: str) -> list[bool]:
    """For each character of `digits`: True = keep it, False = mask it."""
    n = len(digits)
    if kind == "landline":
        area = 3 if digits[1] in "12" else 4  # 010, 02x; other area codes have 4 digits (0473)
        return [i < area for i in range(n)]
    head = 3
    if kind == "mobile" and n > 11:
        head = n - 11 + 3  # the country code stays: 86 139****5678
    return [i < head or i >= n - 4 for i in range(n)]


def _mask_run(folded: str, start: int, end: int, out: list[str]) -> None:
    """Mask the personal number(s) of one separated digit run folded[start:end] into `out` (a list of characters).

    Groups are tried greedily: the longest series of groups that is a personal number wins, so that an ID card followed
    by a mobile number ("150302199001011234 13912345678") is masked as two numbers, not missed as one 29-digit run.
    """
    groups = [(m.start() + start, m.end() + start) for m in re.finditer(r"[0-9Xx]+", folded[start:end])]
    i = 0
    while i < len(groups):
        best = None
        digits = ""
        for j in range(i, len(groups)):
            digits += folded[groups[j][0]:groups[j][1]]
            if len(digits) > 22:
                break
            kind = _kind(digits, j - i + 1, min(e - s for s, e in groups[i:j + 1]))
            if kind == "long" and _AMOUNT_AFTER.match(folded, groups[j][1]):
                kind = None
            if kind is not None:
                best = (j, kind, digits)
        if best is None:
            i += 1
            continue
        j, kind, digits = best
        keep = iter(_keep_mask(digits, kind))
        for g_start, g_end in groups[i:j + 1]:
            for pos in range(g_start, g_end):
                if not next(keep):
                    out[pos] = "*"
        i = j + 1


def mask_pii(text: str) -> str:
    """`text` with personal numbers and e-mail addresses masked (see the module docstring); same length."""
    if not text:
        return text or ""
    folded = text.translate(_FOLD)
    out = list(text)
    for m in _AREA_IN_BRACKETS.finditer(folded):
        for pos in range(m.start(2), m.end(2)):
            out[pos] = "*"
    for m in _DIGIT_RUN.finditer(folded):
        _mask_run(folded, m.start(), m.end(), out)
    for m in _EMAIL.finditer(folded):
        for pos in range(m.start(2), m.end(2)):
            out[pos] = "*"
    return "".join(out)
