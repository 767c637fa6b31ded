"""Validation messages in Bahasa Indonesia.

The registry, the settings and every file Pantau validates with pydantic tell the user what is
wrong in the user's language. pydantic writes its own messages in English; this module turns
the error types people meet in such files into Indonesian, keeping pydantic's English text only
for a type it does not know.
"""

from __future__ import annotations

from typing import Any

_TEMPLATES = {
    "missing": "wajib diisi",
    "greater_than_equal": "harus paling sedikit {ge}",
    "greater_than": "harus lebih dari {gt}",
    "less_than_equal": "harus paling banyak {le}",
    "less_than": "harus kurang dari {lt}",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_parsing": "harus bilangan",
    "float_type": "harus bilangan",
    "bool_parsing": "harus true atau false",
    "bool_type": "harus true atau false",
    "string_type": "harus berupa teks",
    "string_too_long": "paling panjang {max_length} karakter",
    "string_too_short": "paling pendek {min_length} karakter",
    "too_long": "paling banyak {max_length} isian",
    "too_short": "paling sedikit {min_length} isian",
    "list_type": "harus berupa daftar",
    "tuple_type": "harus berupa daftar",
    "dict_type": "harus berupa pemetaan (nama: nilai)",
    "model_type": "harus berupa pemetaan (nama: nilai)",
    "model_attributes_type": "harus berupa pemetaan (nama: nilai)",
    "literal_error": "harus salah satu dari: {expected}",
    "enum": "harus salah satu dari: {expected}",
    "extra_forbidden": "tidak dikenal",
    "url_parsing": "bukan URL yang sah",
    "url_scheme": "skema URL harus {expected_schemes}",
    "date_parsing": "bukan tanggal yang sah (TTTT-BB-HH)",
    "date_from_datetime_parsing": "bukan tanggal yang sah (TTTT-BB-HH)",
    "datetime_parsing": "bukan waktu yang sah",
    "time_parsing": "bukan jam yang sah (JJ:MM)",
}


def pydantic_message(error: dict[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) in Indonesian.

    A ``value_error`` raised by Pantau's own validators is already Indonesian: its text is
    returned as it is."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in {"value_error", "assertion_error"} and "error" in context:
        return str(context["error"])
    template = _TEMPLATES.get(kind)
    if template is None:
        return str(error.get("msg", kind))
    try:
        return template.format(**{k: _shown(v) for k, v in context.items()})
    except (KeyError, IndexError):
        return str(error.get("msg", kind))


def _shown(value: Any) -> str:
    text = str(value)
    return text.replace("' or '", "', '")

