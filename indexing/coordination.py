"""Elided coordination written out: "颁发金、银、铜奖" names 金奖, 银奖 and 铜奖, but none of those words occurs in it.

Policy texts shorten a list of items that share a head word ("一、二、三等奖", "初、中、高级职称"), and a question
names one item in full ("银奖多少钱"). Matching the question's word against the clause then fails although the clause
states it. `expand_coordination` rewrites each such list in place ("金奖、银奖、铜奖"), so positions of the other
words in the sentence keep their order and the figures that follow keep their place.

Lists of three or more single-character items are expanded (two, as in 工资、奖金, cannot be told apart from the
elided form without a parser, unless the head is 级 or 类); the shared head is the run of at most three Chinese
characters after the last item, up to the first function word or punctuation mark.
"""

from __future__ import annotations

import re

_ITEM = r"[\u4e00-\u9fff]"
# the head stops before words that begin the rest of the sentence (的 / 以上 / 给予 …), never inside them
_STOP = "的和及与或以给对为由在按向是"  # and 等 unless it is the 等 of 等奖 / 等级
_LIST = re.compile(rf"({_ITEM}(?:、{_ITEM}){{2,}})([\u4e00-\u9fff]{{1,3}})")


def _head_of(run: str) -> str:
    """The shared head: "等奖" of "等奖，", "级职称" of "级职称的" (at most three characters, trimmed at a stop word)."""
    for i, ch in enumerate(run):
        if ch in _STOP or (ch == "等" and run[i + 1:i + 2] not in ("奖", "级")):
            return run[:i]
    return run


# a level or class head (中、初级 / 一、二类) is safe with two items too: 工资、奖金 cannot end in 级 or 类
_LEVELS = re.compile(rf"((?:{_ITEM}、)+)({_ITEM})(级|类)")


def expand_coordination(text: str) -> str:
    """Each "A、B、C<head>" list of one-character items written out as "A<head>、B<head>、C<head>" ("中、初级" -> "中级、
    初级"; "金、银、铜奖" -> "金奖、银奖、铜奖")."""
    if "、" not in text:
        return text
    text = _LEVELS.sub(lambda m: "、".join(h + m.group(3) for h in m.group(1).split("、")[:-1] + [m.group(2)]), text)

    def write_out(m: re.Match) -> str:
        items = m.group(1).split("、")
        head = _head_of(m.group(2))
        if not head:
            return m.group(0)
        rest = m.group(2)[len(head):]
        return "、".join(item + head for item in items) + rest

    return _LIST.sub(write_out, text)
