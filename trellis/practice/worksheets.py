"""Worksheets as data: the shape of a definition and of the answers to one.

A definition's `fields` is a list of field objects:

    {"key": "situation", "label": "What happened", "type": "text", "required": true,
     "help": "Where, when, who was there", "max_length": 2000}

| type    | extra keys                                        | answer                          |
|---------|---------------------------------------------------|---------------------------------|
| text    | max_length (≤ 5000, default 2000), multiline      | string                          |
| scale   | min, max (integers, min < max, range ≤ 100),      | integer in [min, max]           |
|         | anchors ({"0": "none", "10": "extreme"}, optional) |                                 |
| yesno   |                                                   | true / false                    |
| choice  | options: [{"value": "a", "label": "A"}, …] (≥ 2)  | one option's value              |
| date    |                                                   | ISO date (not after today)      |
| time    |                                                   | "HH:MM"                         |
| skill   |                                                   | a skill's public id (library)   |
| table   | columns: a list of fields of the types above      | list of {column key: answer}    |
|         | (no nested tables), min_rows, max_rows (≤ 50)     |                                 |

`key` is a slug unique within its list; `label` is required; `required` defaults to false;
`help` is optional. `validate_definition` raises `ValidationError` with every problem, each
message naming the field ("fields[2] (mastery): max must be greater than min");
`clean_answers` raises `ValidationError({key: message})` per field so a form shows each
message beside its field, and returns the answers with every value in its canonical type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError

FIELD_TYPES = ("text", "scale", "yesno", "choice", "date", "time", "skill", "table")
SIMPLE_TYPES = tuple(t for t in FIELD_TYPES if t != "table")
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FIELDS = 60
MAX_TEXT = 5000
DEFAULT_TEXT = 2000
MAX_ROWS = 50

_COMMON_KEYS = {"key", "label", "type", "required", "help"}
_EXTRA_KEYS: dict[str, set[str]] = {
    "text": {"max_length", "multiline"},
    "scale": {"min", "max", "anchors"},
    "yesno": set(),
    "choice": {"options"},
    "date": set(),
    "time": set(),
    "skill": set(),
    "table": {"columns", "min_rows", "max_rows"},
}


def validate_definition(fields: Any) -> list[dict[str, Any]]:
    """The definition's fields, checked; `ValidationError` listing every problem."""
    problems: list[str] = []
    if not isinstance(fields, list) or not fields:
        raise ValidationError("A worksheet needs a non-empty list of fields.")
    if len(fields) > MAX_FIELDS:
        raise ValidationError(f"A worksheet has at most {MAX_FIELDS} fields.")
    _check_fields(fields, "fields", problems, allow_table=True)
    if problems:
        raise ValidationError(problems)
    return fields


def _check_fields(fields: list[Any], where: str, problems: list[str], *, allow_table: bool) -> None:
    seen: set[str] = set()
    for index, field in enumerate(fields):
        if not isinstance(field, dict):
            problems.append(f"{where}[{index}]: must be an object with key, label and type.")
            continue
        key = field.get("key")
        name = f"{where}[{index}]" + (f" ({key})" if isinstance(key, str) else "")
        if not isinstance(key, str) or not KEY_PATTERN.match(key):
            problems.append(
                f"{name}: key must be lower-case letters, digits and _ (start with a letter)."
            )
        elif key in seen:
            problems.append(f"{name}: key {key!r} is used twice.")
        else:
            seen.add(key)
        label = field.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > 300:
            problems.append(f"{name}: label is required (at most 300 characters).")
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            problems.append(f"{name}: type must be one of {', '.join(FIELD_TYPES)}.")
            continue
        if kind == "table" and not allow_table:
            problems.append(f"{name}: a table cannot hold another table.")
            continue
        unknown = set(field) - _COMMON_KEYS - _EXTRA_KEYS[kind]
        if unknown:
            problems.append(f"{name}: unknown setting(s) {', '.join(sorted(unknown))}.")
        if "required" in field and not isinstance(field["required"], bool):
            problems.append(f"{name}: required must be true or false.")
        if "help" in field and not isinstance(field["help"], str):
            problems.append(f"{name}: help must be text.")
        _CHECKS[kind](field, name, problems)


def _check_text(field: dict[str, Any], name: str, problems: list[str]) -> None:
    limit = field.get("max_length", DEFAULT_TEXT)
    if not _is_int(limit) or not 1 <= limit <= MAX_TEXT:
        problems.append(f"{name}: max_length must be a whole number from 1 to {MAX_TEXT}.")


def _check_scale(field: dict[str, Any], name: str, problems: list[str]) -> None:
    if not _is_int(field.get("min")) or not _is_int(field.get("max")):
        problems.append(f"{name}: a scale needs whole-number min and max.")
        return
    low: int = field["min"]
    high: int = field["max"]
    if high <= low:
        problems.append(f"{name}: max must be greater than min.")
    elif high - low > 100:
        problems.append(f"{name}: a scale spans at most 100 points.")
    anchors = field.get("anchors", {})
    if not isinstance(anchors, dict) or not all(isinstance(v, str) for v in anchors.values()):
        problems.append(f"{name}: anchors must map scale points to text.")
        return
    problems.extend(
        f"{name}: anchor {point!r} is not a point of the scale."
        for point in anchors
        if not str(point).lstrip("-").isdigit() or not low <= int(point) <= high
    )


def _check_choice(field: dict[str, Any], name: str, problems: list[str]) -> None:
    options = field.get("options")
    if not isinstance(options, list) or len(options) < 2:
        problems.append(f"{name}: a choice needs at least two options.")
        return
    values = [o.get("value") for o in options if isinstance(o, dict)]
    if len(values) != len(options) or not all(
        isinstance(o.get("value"), str) and isinstance(o.get("label"), str) for o in options
    ):
        problems.append(f"{name}: every option needs a text value and label.")
    elif len(set(values)) != len(values):
        problems.append(f"{name}: option values must differ.")


def _check_table(field: dict[str, Any], name: str, problems: list[str]) -> None:
    columns = field.get("columns")
    if not isinstance(columns, list) or not columns:
        problems.append(f"{name}: a table needs a non-empty list of columns.")
        return
    _check_fields(columns, f"{name}.columns", problems, allow_table=False)
    low, high = field.get("min_rows", 0), field.get("max_rows", 10)
    if not _is_int(low) or not _is_int(high) or not 0 <= low <= high <= MAX_ROWS or high < 1:
        problems.append(f"{name}: rows must satisfy 0 ≤ min_rows ≤ max_rows ≤ {MAX_ROWS}.")


def _no_check(field: dict[str, Any], name: str, problems: list[str]) -> None:
    return None


_CHECKS: dict[str, Callable[[dict[str, Any], str, list[str]], None]] = {
    "text": _check_text,
    "scale": _check_scale,
    "yesno": _no_check,
    "choice": _check_choice,
    "date": _no_check,
    "time": _no_check,
    "skill": _no_check,
    "table": _check_table,
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- answers ----------------------------------------------------------------------------------


def clean_answers(
    fields: Sequence[Mapping[str, Any]],
    answers: Any,
    *,
    today: date,
    skill_ids: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The answers in canonical types, or `ValidationError({field key: message})`.

    `today` is the organization's date (a date answer may not be later); `skill_ids` are the
    public ids (as text) of the library's skills a `skill` answer may name. Keys the
    definition does not have are refused (an entry written on another version of the form).
    """
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": "Answers must be an object of field keys."})
    known = {f["key"] for f in fields}
    errors: dict[str, str] = {}
    unknown = sorted(str(k) for k in answers if k not in known)
    if unknown:
        errors["answers"] = (
            f"Unknown field(s) {', '.join(unknown)}: the worksheet may have a newer version."
        )
    cleaned: dict[str, Any] = {}
    for field in fields:
        key = field["key"]
        try:
            value = _clean_value(field, answers.get(key), today=today, skill_ids=skill_ids)
        except ValueError as problem:
            errors[key] = f"{field['label']}: {problem}"
            continue
        if value is not None:
            cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _clean_value(
    field: Mapping[str, Any], value: Any, *, today: date, skill_ids: frozenset[str]
) -> Any:
    if _blank(value):
        if field.get("required"):
            raise ValueError("this is required.")
        return None
    kind = field["type"]
    if kind == "text":
        if not isinstance(value, str):
            raise ValueError("must be text.")
        text = value.strip()
        limit = field.get("max_length", DEFAULT_TEXT)
        if len(text) > limit:
            raise ValueError(f"at most {limit} characters ({len(text)} given).")
        return text
    if kind == "scale":
        number = _as_int(value)
        if number is None or not field["min"] <= number <= field["max"]:
            raise ValueError(f"choose a whole number from {field['min']} to {field['max']}.")
        return number
    if kind == "yesno":
        if value in (True, "yes", "true", "on", "1"):
            return True
        if value in (False, "no", "false", "0"):
            return False
        raise ValueError("answer yes or no.")
    if kind == "choice":
        allowed = [o["value"] for o in field["options"]]
        if value not in allowed:
            raise ValueError("choose one of the options.")
        return value
    if kind == "date":
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            raise ValueError("enter a date as YYYY-MM-DD.") from None
        if day > today:
            raise ValueError("the date cannot be in the future.")
        return day.isoformat()
    if kind == "time":
        try:
            moment = time.fromisoformat(str(value))
        except ValueError:
            raise ValueError("enter a time as HH:MM.") from None
        return moment.strftime("%H:%M")
    if kind == "skill":
        if str(value) not in skill_ids:
            raise ValueError("choose a skill from the program's library.")
        return str(value)
    return _clean_table(field, value, today=today, skill_ids=skill_ids)


def _clean_table(
    field: Mapping[str, Any], rows: Any, *, today: date, skill_ids: frozenset[str]
) -> list[dict[str, Any]]:
    if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
        raise ValueError("must be a list of rows.")
    # Rows left entirely blank (an unused line of the form) are dropped, not refused.
    rows = [r for r in rows if not all(_blank(v) for v in r.values())]
    low, high = field.get("min_rows", 0), field.get("max_rows", 10)
    if len(rows) < low:
        raise ValueError(f"fill in at least {low} row(s).")
    if len(rows) > high:
        raise ValueError(f"at most {high} rows.")
    columns = field["columns"]
    known = {c["key"] for c in columns}
    cleaned = []
    for number, row in enumerate(rows, start=1):
        if set(row) - known:
            raise ValueError(f"row {number} has unknown columns.")
        out: dict[str, Any] = {}
        for column in columns:
            try:
                value = _clean_value(
                    column, row.get(column["key"]), today=today, skill_ids=skill_ids
                )
            except ValueError as problem:
                raise ValueError(f"row {number}, {column['label']}: {problem}") from None
            if value is not None:
                out[column["key"]] = value
        cleaned.append(out)
    return cleaned


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None
