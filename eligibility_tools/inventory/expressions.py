"""Formula expressions of clause rules, evaluated exactly (Decimal) and safely (a whitelist of syntax).

`min(months, cap) * rate * persons`, `floor(base * share)`, `max(ceil(staff * ratio), floor_people)`: names are a rule's
inputs, params and earlier outputs; nothing else can be reached.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from corpus.errors import CorpusError

_FUNCS = {"min", "max", "floor", "ceil", "round", "abs"}
_BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b}


def _parse(expr: str, where: str) -> ast.Expression:
    try:
        return ast.parse(expr, mode="eval")
    except SyntaxError as err:
        raise CorpusError(f"{where}：表达式“{expr}”语法错误") from err


def names_in(expr: str) -> set[str]:
    tree = _parse(expr, "表达式")
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in _FUNCS}


def check_expression(expr: str, known: set[str], *, where: str) -> None:
    """Reject syntax outside the whitelist and names that are not inputs, params or earlier outputs."""
    tree = _parse(expr, where)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCS:
                raise CorpusError(f"{where}：表达式只能调用 {sorted(_FUNCS)}")
        elif isinstance(node, ast.Name):
            if node.id not in _FUNCS and node.id not in known:
                raise CorpusError(f"{where}：表达式中的“{node.id}”不是输入、参数或前面的输出")
        elif not isinstance(node, (ast.Expression, ast.BinOp, ast.UnaryOp, ast.USub, ast.Constant, ast.Load, ast.Add, ast.Sub,
                                   ast.Mult, ast.Div)):
            raise CorpusError(f"{where}：表达式中不允许 {type(node).__name__}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise CorpusError(f"{where}：表达式中只能有数字常量")


def evaluate(expr: str, values: Mapping[str, Decimal]) -> Decimal:
    """The value of an expression; KeyError names a missing input."""
    return _eval(_parse(expr, "表达式").body, values)


def _eval(node: ast.AST, values: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        return Decimal(values[node.id])
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, values)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [_eval(a, values) for a in node.args]
        name = node.func.id
        if name == "min":
            return min(args)
        if name == "max":
            return max(args)
        if name == "floor":
            return args[0].to_integral_value(rounding=ROUND_FLOOR)
        if name == "ceil":
            return args[0].to_integral_value(rounding=ROUND_CEILING)
        if name == "round":
            places = int(args[1]) if len(args) > 1 else 0
            return args[0].quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if name == "abs":
            return abs(args[0])
    raise CorpusError(f"无法计算的表达式节点 {type(node).__name__}")


def round_value(value: Decimal, rounding: str) -> Decimal:
    """Apply an output's rounding: floor / ceil (counts of people or posts), round / money (to 分), none."""
    if rounding == "floor":
        return value.to_integral_value(rounding=ROUND_FLOOR)
    if rounding == "ceil":
        return value.to_integral_value(rounding=ROUND_CEILING)
    if rounding == "round":
        return value.to_integral_value(rounding=ROUND_HALF_UP)
    if rounding == "money":
        q = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return Decimal(int(q)) if q == q.to_integral_value() else q
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize() if abs(value) < Decimal(10) ** 12 else value


def is_finite(value: Decimal) -> bool:
    return value.is_finite() and not math.isnan(float(value))
