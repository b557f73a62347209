"""Units of rule quantities: durations compared in months, values written the way users write them."""

from __future__ import annotations

from decimal import Decimal

_MONTHS = {"年": Decimal(12), "月": Decimal(1), "个月": Decimal(1), "周": Decimal(7) / Decimal(30), "天": Decimal(1) / Decimal(30)}


def to_months(value: Decimal, unit: str) -> Decimal | None:
    """A duration in months (1.5 年 -> 18); None when the unit is not a duration."""
    factor = _MONTHS.get(unit)
    return None if factor is None else Decimal(value) * factor


def plain(value: Decimal | int | float | None) -> str:
    """12 -> '12', 0.80 -> '0.8', 1.6666 -> '1.67' (no exponent, no trailing zeros)."""
    if value is None:
        return ""
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if value == value.to_integral_value():
        return str(int(value))
    rounded = value.quantize(Decimal("0.01"))
    return format(rounded.normalize(), "f")


def format_quantity(value: Decimal, unit: str) -> str:
    """A value as users write it: 20 月 -> '1年8个月', 4 月 -> '4个月', 1.5 年 -> '1.5年', 2 年 -> '2年'."""
    value = Decimal(value)
    if unit in ("月", "个月"):
        months = value.quantize(Decimal("0.01"))
        if months == months.to_integral_value():
            whole = int(months)
            if whole >= 12:
                years, rest = divmod(whole, 12)
                return f"{years}年" + (f"{rest}个月" if rest else "")
            return f"{whole}个月"
        return f"{plain(months)}个月"
    if unit == "年":
        months = (value * 12).quantize(Decimal("0.01"))
        if value != value.to_integral_value() and months == months.to_integral_value() and value != Decimal("0.5") * int(value * 2):
            return format_quantity(months, "月")
        return f"{plain(value)}年"
    return f"{plain(value)}{unit}"
