"""Worksheets as data: every rejection of `validate_definition` and `clean_answers`, the
built-in files, and importing them (validated, idempotent, versioned)."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from tests.personas import World
from trellis.audit.models import Event
from trellis.practice.actions.library import (
    builtin_worksheet_files,
    check_import_worksheets,
    check_worksheet_file,
)
from trellis.practice.demo_library import seed_library
from trellis.practice.models import WorksheetDefinition
from trellis.practice.worksheets import clean_answers, validate_definition

TODAY = date(2026, 10, 14)


def text(key: str = "situation", **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": "What happened", "type": "text", **extra}


def scale(key: str = "rating", low: Any = 0, high: Any = 10, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": "Rating", "type": "scale", "min": low, "max": high, **extra}


def problems(fields: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_definition(fields)
    return caught.value.messages


# --- validate_definition ------------------------------------------------------------------


@pytest.mark.parametrize("fields", [None, [], {}, "text", [None][:0]])
def test_a_definition_needs_a_non_empty_list(fields: Any) -> None:
    assert problems(fields) == ["A worksheet needs a non-empty list of fields."]


def test_a_definition_has_at_most_sixty_fields() -> None:
    fields = [text(f"f{i}") for i in range(61)]
    assert "at most 60 fields" in problems(fields)[0]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("not an object", "fields[0]: must be an object with key, label and type."),
        (text(key="Situation"), "fields[0] (Situation): key must be lower-case"),
        (text(key="1st"), "fields[0] (1st): key must be lower-case"),
        ({"label": "x", "type": "text"}, "fields[0]: key must be lower-case"),
        (text(label=""), "fields[0] (situation): label is required"),
        (text(label="x" * 301), "fields[0] (situation): label is required"),
        ({"key": "a", "label": "A", "type": "essay"}, "type must be one of text, scale"),
        (text(colour="red"), "fields[0] (situation): unknown setting(s) colour."),
        (text(required="yes"), "fields[0] (situation): required must be true or false."),
        (text(help=3), "fields[0] (situation): help must be text."),
        (text(max_length=0), "max_length must be a whole number from 1 to 5000."),
        (text(max_length=5001), "max_length must be a whole number from 1 to 5000."),
        (text(max_length=True), "max_length must be a whole number from 1 to 5000."),
        (scale(low="0"), "a scale needs whole-number min and max."),
        (scale(high=None), "a scale needs whole-number min and max."),
        (scale(low=5, high=5), "fields[0] (rating): max must be greater than min."),
        (scale(low=0, high=101), "a scale spans at most 100 points."),
        (scale(anchors=["none"]), "anchors must map scale points to text."),
        (scale(anchors={"0": 1}), "anchors must map scale points to text."),
        (scale(anchors={"11": "too high"}), "anchor '11' is not a point of the scale."),
        (scale(anchors={"low": "x"}), "anchor 'low' is not a point of the scale."),
        (
            {"key": "c", "label": "C", "type": "choice", "options": [{"value": "a", "label": "A"}]},
            "a choice needs at least two options.",
        ),
        (
            {"key": "c", "label": "C", "type": "choice", "options": ["a", "b"]},
            "every option needs a text value and label.",
        ),
        (
            {
                "key": "c",
                "label": "C",
                "type": "choice",
                "options": [{"value": "a", "label": "A"}, {"value": 2, "label": "B"}],
            },
            "every option needs a text value and label.",
        ),
        (
            {
                "key": "c",
                "label": "C",
                "type": "choice",
                "options": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}],
            },
            "option values must differ.",
        ),
        ({"key": "t", "label": "T", "type": "table"}, "a table needs a non-empty list of columns."),
        (
            {"key": "t", "label": "T", "type": "table", "columns": [text()], "max_rows": 51},
            "rows must satisfy 0 ≤ min_rows ≤ max_rows ≤ 50.",
        ),
        (
            {"key": "t", "label": "T", "type": "table", "columns": [text()], "min_rows": 3,
             "max_rows": 2},
            "rows must satisfy",
        ),
        (
            {"key": "t", "label": "T", "type": "table", "columns": [text()], "max_rows": 0},
            "rows must satisfy",
        ),
        (
            {"key": "t", "label": "T", "type": "table",
             "columns": [{"key": "inner", "label": "I", "type": "table", "columns": [text()]}]},
            "fields[0] (t).columns[0] (inner): a table cannot hold another table.",
        ),
        (
            {"key": "t", "label": "T", "type": "table", "columns": [scale(high=-1)]},
            "fields[0] (t).columns[0] (rating): max must be greater than min.",
        ),
    ],
)  # fmt: skip
def test_each_problem_of_a_field_is_named(field: Any, message: str) -> None:
    found = problems([field])
    assert any(message in p for p in found), found


def test_a_key_used_twice_is_named() -> None:
    assert problems([text(), text()]) == ["fields[1] (situation): key 'situation' is used twice."]


def test_every_problem_is_listed_not_only_the_first() -> None:
    found = problems([text(label=""), scale(low=3, high=1), {"key": "x", "type": "essay"}])
    assert len(found) == 4  # label, scale, and the third field's label and type
    assert found[0].startswith("fields[0]")
    assert found[1].startswith("fields[1]")


def test_a_valid_definition_is_returned_unchanged() -> None:
    fields = [text(required=True, help="Where", max_length=300, multiline=True), scale()]
    assert validate_definition(fields) == fields


@given(low=st.integers(-50, 50), span=st.integers(-5, 120))
def test_a_scale_is_valid_exactly_when_it_spans_one_to_a_hundred_points(
    low: int, span: int
) -> None:
    fields = [scale(low=low, high=low + span)]
    if 1 <= span <= 100:
        assert validate_definition(fields) == fields
    else:
        with pytest.raises(ValidationError):
            validate_definition(fields)


# --- clean_answers -----------------------------------------------------------------------------

FORM: list[dict[str, Any]] = [
    text(required=True, max_length=20),
    scale(required=True),
    {"key": "done", "label": "Did it", "type": "yesno"},
    {"key": "mood", "label": "Mood", "type": "choice",
     "options": [{"value": "up", "label": "Up"}, {"value": "down", "label": "Down"}]},
    {"key": "day", "label": "Day", "type": "date"},
    {"key": "at", "label": "At", "type": "time"},
    {"key": "skill", "label": "Skill", "type": "skill"},
    {"key": "rows", "label": "Rows", "type": "table", "min_rows": 1, "max_rows": 2,
     "columns": [text("what", required=True), scale("how")]},
]  # fmt: skip
SKILL_ID = "7d9a4c1e-0000-4000-8000-000000000001"
GOOD: dict[str, Any] = {
    "situation": "  Asked for time off  ",
    "rating": "7",
    "done": "yes",
    "mood": "up",
    "day": "2026-10-13",
    "at": "18:30:00",
    "skill": SKILL_ID,
    "rows": [{"what": "Practised", "how": 4}, {"what": "", "how": None}],
}


def clean(answers: Any) -> dict[str, Any]:
    return clean_answers(FORM, answers, today=TODAY, skill_ids=frozenset({SKILL_ID}))


def errors(answers: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        clean(answers)
    return caught.value.message_dict


def test_good_answers_come_back_in_canonical_types() -> None:
    assert clean(GOOD) == {
        "situation": "Asked for time off",
        "rating": 7,
        "done": True,
        "mood": "up",
        "day": "2026-10-13",
        "at": "18:30",
        "skill": SKILL_ID,
        "rows": [{"what": "Practised", "how": 4}],  # the blank row is dropped
    }


def test_answers_must_be_an_object() -> None:
    assert errors(["situation"]) == {"answers": ["Answers must be an object of field keys."]}


def test_unknown_keys_are_refused_as_another_version() -> None:
    found = errors({**GOOD, "mastery": 3})
    assert "Unknown field(s) mastery" in found["answers"][0]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("situation", None, "What happened: this is required."),
        ("situation", "   ", "What happened: this is required."),
        ("situation", 42, "What happened: must be text."),
        ("situation", "x" * 21, "What happened: at most 20 characters (21 given)."),
        ("rating", None, "Rating: this is required."),
        ("rating", 11, "Rating: choose a whole number from 0 to 10."),
        ("rating", -1, "Rating: choose a whole number from 0 to 10."),
        ("rating", "7.5", "Rating: choose a whole number from 0 to 10."),
        ("rating", True, "Rating: choose a whole number from 0 to 10."),
        ("done", "maybe", "Did it: answer yes or no."),
        ("mood", "sideways", "Mood: choose one of the options."),
        ("day", "13/10/2026", "Day: enter a date as YYYY-MM-DD."),
        ("day", "2026-10-15", "Day: the date cannot be in the future."),
        ("at", "half past six", "At: enter a time as HH:MM."),
        ("skill", "not-a-skill", "Skill: choose a skill from the program's library."),
        ("rows", "Practised", "Rows: must be a list of rows."),
        ("rows", ["Practised"], "Rows: must be a list of rows."),
        ("rows", [{"what": "", "how": None}], "Rows: fill in at least 1 row(s)."),
        ("rows", [{"what": "a"}] * 3, "Rows: at most 2 rows."),
        ("rows", [{"what": "a", "extra": 1}], "Rows: row 1 has unknown columns."),
        ("rows", [{"what": "a"}, {"how": 3}], "Rows: row 2, What happened: this is required."),
        ("rows", [{"what": "a", "how": 12}], "Rows: row 1, Rating: choose a whole number"),
    ],
)
def test_each_bad_answer_is_refused_beside_its_field(key: str, value: Any, message: str) -> None:
    found = errors({**GOOD, key: value})
    assert list(found) == [key]
    assert found[key][0].startswith(message), found


def test_every_bad_field_is_reported_at_once() -> None:
    found = errors({**GOOD, "situation": "", "rating": 99, "mood": "x"})
    assert set(found) == {"situation", "rating", "mood"}


def test_optional_blank_answers_are_left_out() -> None:
    cleaned = clean({"situation": "x", "rating": 0, "done": "", "rows": [{"what": "a"}]})
    assert cleaned == {"situation": "x", "rating": 0, "rows": [{"what": "a"}]}


@given(value=st.integers(-1000, 1000), low=st.integers(-20, 20), span=st.integers(1, 100))
def test_a_scale_answer_is_kept_exactly_when_it_is_on_the_scale(
    value: int, low: int, span: int
) -> None:
    fields = [scale(low=low, high=low + span, required=True)]
    if low <= value <= low + span:
        assert clean_answers(fields, {"rating": value}, today=TODAY) == {"rating": value}
        assert clean_answers(fields, {"rating": str(value)}, today=TODAY) == {"rating": value}
    else:
        with pytest.raises(ValidationError):
            clean_answers(fields, {"rating": value}, today=TODAY)


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_a_date_answer_is_never_after_the_organizations_today(day: date) -> None:
    fields = [{"key": "day", "label": "Day", "type": "date"}]
    if day <= TODAY:
        assert clean_answers(fields, {"day": day.isoformat()}, today=TODAY) == {
            "day": day.isoformat()
        }
    else:
        with pytest.raises(ValidationError):
            clean_answers(fields, {"day": day.isoformat()}, today=TODAY)


@given(body=st.text(max_size=60))
def test_text_answers_are_stripped_and_bounded(body: str) -> None:
    fields = [text(max_length=40)]
    if not body.strip():
        assert clean_answers(fields, {"situation": body}, today=TODAY) == {}
    elif len(body.strip()) <= 40:
        assert clean_answers(fields, {"situation": body}, today=TODAY) == {
            "situation": body.strip()
        }
    else:
        with pytest.raises(ValidationError):
            clean_answers(fields, {"situation": body}, today=TODAY)


# --- the built-in files and importing them -----------------------------------------------------


def builtin() -> list[tuple[str, Any]]:
    return [(p.name, json.loads(p.read_text(encoding="utf-8"))) for p in builtin_worksheet_files()]


def test_the_five_builtin_worksheets_are_valid_definitions() -> None:
    files = dict(builtin())
    assert set(files) == {
        "thought-record.json",
        "behavioural-activation-log.json",
        "exposure-hierarchy.json",
        "skill-practice-log.json",
        "problem-solving.json",
    }
    for data in files.values():
        validate_definition(data["fields"])
    activation = files["behavioural-activation-log.json"]["fields"][0]["columns"]
    assert {c["key"] for c in activation} >= {"planned", "done", "mastery", "pleasure"}
    assert all(c["max"] == 10 for c in activation if c["key"] in {"mastery", "pleasure"})
    exposure = files["exposure-hierarchy.json"]["fields"][1]["columns"]
    assert {c["key"] for c in exposure} >= {"before", "peak", "after"}


def test_import_is_idempotent_and_a_change_is_a_new_version(world: World) -> None:
    seed_library(world.organization)  # imports the built-ins, linked to the demo skills
    assert WorksheetDefinition.objects.filter(organization=world.organization).count() == 5
    thought = WorksheetDefinition.objects.get(code="thought-record")
    assert thought.version == 1
    assert thought.skill is not None
    assert thought.skill.name == "Cognitive restructuring"

    events = Event.objects.count()
    again = check_import_worksheets(None, world.organization, builtin())
    assert [created for _, created in again] == [False] * 5
    assert WorksheetDefinition.objects.count() == 5
    assert Event.objects.count() == events

    changed = copy.deepcopy(dict(builtin())["thought-record.json"])
    changed["fields"][0]["help"] = "Where you were and who was with you"
    [(row, created)] = check_import_worksheets(world.director, world.organization, [("t", changed)])
    assert created
    assert row.version == 2
    assert row.is_current
    assert row.created_by == world.director
    thought.refresh_from_db()
    assert not thought.is_current  # the old version stays, readable for its entries
    current = WorksheetDefinition.objects.filter(code="thought-record", is_current=True)
    assert list(current) == [row]
    assert Event.objects.count() == events + 1


def test_an_invalid_file_is_refused_with_every_problem_and_nothing_is_written(
    world: World,
) -> None:
    good = dict(builtin())["problem-solving.json"]
    bad = {
        "code": "Bad Code",
        "title": "",
        "skill": "Juggling",
        "colour": "red",
        "fields": [scale(low=5, high=1)],
    }
    with pytest.raises(ValidationError) as caught:
        check_import_worksheets(None, world.organization, [("good.json", good), ("bad.json", bad)])
    messages = caught.value.messages
    assert messages == [
        "bad.json: unknown key(s) colour.",
        "bad.json: code: lower-case letters, digits and -, at most 50 characters.",
        "bad.json: title: required, at most 200 characters.",
        "bad.json: skill: no skill named 'Juggling' in the library.",
        "bad.json: fields[0] (rating): max must be greater than min.",
    ]
    assert not WorksheetDefinition.objects.exists()


def test_two_files_with_one_code_are_refused(world: World) -> None:
    good = dict(builtin())["problem-solving.json"]
    with pytest.raises(ValidationError, match="is in another file too"):
        check_import_worksheets(None, world.organization, [("a", good), ("b", good)])
    assert not WorksheetDefinition.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "A worksheet file must be a JSON object."),
        ({"code": "x", "title": "X", "description": 3, "fields": [text()]}, "description: must"),
        ({"code": "x", "title": "X", "skill": "", "fields": [text()]}, "skill: must be a skill"),
        ({"code": "x", "title": "X"}, "A worksheet needs a non-empty list of fields."),
    ],
)
def test_file_level_problems_are_named(world: World, data: Any, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_worksheet_file(world.organization, data)
    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_the_command_imports_and_refuses(world: World, tmp_path: Path) -> None:
    org = ["--organization", world.organization.name]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(dict(builtin())["skill-practice-log.json"]))
    call_command("import_worksheets", str(good), *org, stdout=(out := _Out()))
    assert "skill-practice-log version 1: imported." in out.text
    call_command("import_worksheets", str(good), *org, stdout=(out := _Out()))
    assert "skill-practice-log version 1: unchanged." in out.text

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="cannot read JSON"):
        call_command("import_worksheets", str(broken), *org)
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"code": "x", "title": "X", "fields": [scale(high=0)]}))
    with pytest.raises(CommandError, match=r"Nothing imported\.\ninvalid.json: fields\[0\]"):
        call_command("import_worksheets", str(good), str(invalid), "--builtin", *org)
    assert WorksheetDefinition.objects.count() == 1
    with pytest.raises(CommandError, match="at least one JSON file"):
        call_command("import_worksheets")
    with pytest.raises(CommandError, match="No organization named"):
        call_command("import_worksheets", str(good), "--organization", "Nobody")


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, value: str) -> None:
        self.text += value

    def flush(self) -> None:
        return None
