"""Numbers as a reader of the session's language expects them.

Why: a Dutch reader takes "€ 3.556" for three and a half thousand euros and "0.3" for an
English number; an English reader takes "3,556" for three thousand. Every number the
dashboard shows (monitors, the line saying what runs, the parameter guide) goes through
these functions, so a monitor reads "EUR 3.56 M" in English and "€ 3,56 mln" in Dutch.
"""

from __future__ import annotations

from typing import Any, Final

from sim.presentation.dashboard.i18n import t

MILLION: Final[float] = 1_000_000.0


def format_number(value: float, lang: str, decimals: int = 2) -> str:
    """``value`` with ``decimals`` decimals and the language's separators.

    English: 1,234.56; Dutch: 1.234,56.
    """
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_euros(amount: float, lang: str) -> str:
    """An amount in euros, short enough for a monitor and unambiguous in the language.

    Below a million: whole euros with the language's thousands separator ("EUR 356,800",
    "€ 356.800"); from a million: millions with two decimals ("EUR 3.56 M", "€ 3,56 mln"),
    so a Dutch reader never sees "€ 3.556" for three and a half million.
    """
    prefix = "€ " if lang == "nl" else "EUR "
    if abs(amount) >= MILLION:
        return f"{prefix}{format_number(amount / MILLION, lang, 2)} {t('million', lang)}"
    return f"{prefix}{format_number(amount, lang, 0)}"


def format_setting(value: Any, lang: str) -> str:
    """A control's value as text: on/off for a switch, a number in the language's style."""
    if isinstance(value, bool):
        return t("on" if value else "off", lang)
    if isinstance(value, int):
        return format_number(value, lang, 0)
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "nl" else text
    return str(value)


def format_outcome(value: float, unit: str, lang: str) -> str:
    """A derived outcome's value as text: euros as :func:`format_euros` (its unit names
    EUR), whole numbers (weeks, a 0/1 indicator) without decimals, others to about three
    significant digits."""
    if "EUR" in unit:
        return format_euros(value, lang)
    if float(value).is_integer():
        return format_number(value, lang, 0)
    size = abs(value)
    decimals = 3 if size < 1 else 2 if size < 10 else 1 if size < 100 else 0
    return format_number(value, lang, decimals)
