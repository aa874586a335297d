"""A program's diary card configuration page: who may open it, rows added / removed /
reordered with stable keys (old cards keep showing removed rows), risk rules, back-fill window
and tracks, bad input naming the field with nothing stored, audit; and the skills-checklist
row (the participant's checkboxes, the week's acronyms, unknown or retired skills refused)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.personas import World, make_staff, org_today
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.practice.access import access_diary
from trellis.practice.actions.diary import check_submit_diary_card, do_configure_diary
from trellis.practice.actions.library import do_set_skill_active
from trellis.practice.models import DiaryCard, DiaryCardConfig, Skill
from trellis.practice.models.diary import DEFAULT_ROWS, DEFAULT_RULES
from trellis.practice.queries.diary import diary_week
from trellis.practice.tests.helpers import dear_man
from trellis.programs.models import Role

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]


def url(world: World) -> str:
    return f"/practice/programs/{world.program.public_id}/diary-card/"


def form(
    rows: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    *,
    backfill: str = "2",
    enabled: bool = True,
    tracks: list[str] | None = None,
    restore: list[str] | None = None,
) -> dict[str, Any]:
    """What the page posts: rows with a `key` are kept rows, without one new rows."""
    data: dict[str, Any] = {"rows-count": str(len(rows)), "rules-count": str(len(rules))}
    for index, row in enumerate(rows):
        prefix = f"row-{index}-"
        data[prefix + "key"] = row.get("key", "")
        data[prefix + "label"] = row.get("label", "")
        data[prefix + "kind"] = row.get("kind", "")
        data[prefix + "detail"] = row.get("detail", "")
        data[prefix + "order"] = str(row.get("order", index + 1))
        if row.get("remove"):
            data[prefix + "remove"] = "on"
    for index, rule in enumerate(rules):
        data[f"rule-{index}-row"] = rule["row"]
        data[f"rule-{index}-at_least"] = str(rule.get("at_least", ""))
    data["backfill_days"] = backfill
    if enabled:
        data["enabled"] = "on"
    data["tracks"] = tracks or []
    data["restore"] = restore or []
    return data


def default_form(**changes: Any) -> dict[str, Any]:
    return form(
        [dict(row) for row in DEFAULT_ROWS], [dict(rule) for rule in DEFAULT_RULES], **changes
    )


def test_directors_and_administrators_open_it_from_the_setup_hub(
    world: World, client_for: Clients
) -> None:
    admin = make_staff("ada.admin", "Ada", "Admin", world.organization, Role.ADMINISTRATOR)
    for user in (world.director, admin):
        client = client_for(user)
        hub = client.get(f"/programs/{world.program.public_id}/setup/").content.decode()
        assert url(world) in hub
        page = client.get(url(world))
        assert page.status_code == 200
        assert "Urge to kill myself" in page.content.decode()


@pytest.mark.parametrize(
    "persona", ["clinician", "other_clinician", "front_desk", "intake", "outsider", "participant"]
)
def test_no_one_else_may_configure(world: World, client_for: Clients, persona: str) -> None:
    client = client_for(world.personas[persona])
    denied = 403 if persona == "participant" else 404  # staff pages refuse participants
    assert client.get(url(world)).status_code == denied
    response = client.post(url(world), default_form(backfill="5"))
    assert response.status_code == denied
    assert not DiaryCardConfig.objects.exists()


def test_add_remove_reorder_rows_with_targets_units_and_rules(
    world: World, client_for: Clients
) -> None:
    rows: list[dict[str, Any]] = [dict(row) for row in DEFAULT_ROWS]
    rows[0]["order"] = 20  # the suicide urge goes last
    rows[9]["remove"] = True  # joy
    rows[2]["detail"] = "alcohol"  # the use urge's target
    rows[4]["detail"] = "drinks"  # the amount's unit
    rows.append({"label": "Urge to gamble", "kind": "urge", "detail": "betting", "order": 3})
    rows.append({"label": "Skills I used", "kind": "skill_checklist"})
    rules = [*DEFAULT_RULES, {"row": "use_urge", "at_least": 3}]
    response = client_for(world.director).post(url(world), form(rows, rules, backfill="4"))
    assert response.status_code == 302
    config = DiaryCardConfig.objects.get(program=world.program)
    keys = [row["key"] for row in config.rows]
    assert keys[:4] == ["self_harm_urge", "use_urge", "urge_to_gamble", "self_harm_act"]
    assert keys[-1] == "suicide_urge"
    assert "joy" not in keys
    assert "skills_i_used" in keys
    by_key = {row["key"]: row for row in config.rows}
    assert by_key["use_urge"]["target"] == "alcohol"
    assert by_key["used"]["unit"] == "drinks"
    assert by_key["urge_to_gamble"] == {
        "key": "urge_to_gamble", "label": "Urge to gamble", "kind": "urge", "target": "betting"
    }  # fmt: skip
    assert {"row": "use_urge", "at_least": 3} in config.risk_rules
    assert config.backfill_days == 4
    assert [row["key"] for row in config.retired_rows] == ["joy"]
    event = Event.objects.filter(object_type="practice.diarycardconfig").latest("pk")
    assert event.action == "update"
    assert event.actor_id == world.director.pk
    page = client_for(world.participant_user).get("/me/practice/diary/").content.decode()
    assert "Urge to drink or use (alcohol)" in page
    assert "How much (drinks)" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"backfill": "20"}, "Days back: Choose 0 to 14 days."),
        ({"backfill": "two"}, "Days back: Choose 0 to 14 days (a whole number)."),
        ({"rule": {"row": "sadness", "at_least": 9}}, "Rule 4: at_least must be a whole number"),
        ({"rule": {"row": "note", "at_least": 1}}, "a note or checklist row cannot raise risk"),
        ({"rule": {"row": "sadness", "at_least": ""}}, "Rule 4: give the rating"),
        ({"new": {"label": "", "kind": "urge", "detail": "x"}}, "label is required"),
        ({"new": {"label": "Sleep", "kind": "emotion", "detail": "h"}}, "target or unit"),
        ({"new": {"label": "Sleep", "kind": "mood"}}, "kind must be one of"),
        ({"new": {"label": "Sleep", "kind": "urge", "order": "x"}}, "position must be a whole"),
        ({"tracks": ["not-a-track"]}, "Tracks: Choose tracks of this program."),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(
    world: World, client_for: Clients, change: dict[str, Any], message: str
) -> None:
    do_configure_diary(None, world.program)
    before = DiaryCardConfig.objects.get().rows, Event.objects.count()
    rows: list[dict[str, Any]] = [dict(row) for row in DEFAULT_ROWS]
    rules: list[dict[str, Any]] = [dict(rule) for rule in DEFAULT_RULES]
    if "new" in change:
        rows.append(change["new"])
    if "rule" in change:
        rules.append(change["rule"])
    data = form(rows, rules, backfill=change.get("backfill", "2"), tracks=change.get("tracks"))
    response = client_for(world.director).post(url(world), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert message in body.replace("&#x27;", "'")
    config = DiaryCardConfig.objects.get()
    assert config.rows == before[0]
    assert config.backfill_days == 2
    assert Event.objects.filter(object_type="practice.diarycardconfig").count() == 1


def test_the_first_configuration_refused_creates_nothing(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        do_configure_diary(None, world.program, backfill=30)
    assert "backfill_days" in caught.value.message_dict
    assert not DiaryCardConfig.objects.exists()


def test_removed_rows_still_show_on_old_cards_and_keys_are_never_reused(world: World) -> None:
    access = access_diary(world.participant_user, world.participant.public_id)
    yesterday = org_today() - timedelta(days=1)
    check_submit_diary_card(
        world.participant_user, access, card_on=yesterday, answers={"joy": "4", "anger": "2"}
    )
    rows = [row for row in DEFAULT_ROWS if row["key"] != "joy"]
    do_configure_diary(world.director, world.program, rows=rows)
    week = diary_week(
        access_diary(world.clinician, world.participant.public_id),
        world.participant.episodes.get(),
        yesterday,
    )
    shown = {row["label"]: row for row in week["rows"]}
    assert shown["Joy"]["removed"] is True
    assert [cell.text for cell in shown["Joy"]["cells"] if not cell.missing] == ["4"]
    assert shown["Anger"]["removed"] is False
    # The key "joy" was an emotion: it is never given to a row of another kind ...
    with pytest.raises(ValidationError, match="belonged to a emotion row"):
        do_configure_diary(
            None, world.program, rows=[*rows, {"key": "joy", "label": "Joy", "kind": "urge"}]
        )
    # ... but the same row can be put back, and is no longer retired.
    config = do_configure_diary(None, world.program, rows=[*rows, dict(DEFAULT_ROWS[9])])
    assert config.retired_rows == []
    card = DiaryCard.objects.get()
    assert card.values["joy"] == 4  # the stored card itself never changes


def test_restoring_a_removed_row_from_the_page(world: World, client_for: Clients) -> None:
    rows = [row for row in DEFAULT_ROWS if row["key"] != "joy"]
    do_configure_diary(None, world.program, rows=rows)
    client = client_for(world.director)
    assert 'name="restore" value="joy"' in client.get(url(world)).content.decode()
    data = form([dict(r) for r in rows], [dict(r) for r in DEFAULT_RULES], restore=["joy"])
    assert client.post(url(world), data).status_code == 302
    assert DiaryCardConfig.objects.get().rows[-1]["key"] == "joy"


def test_a_new_row_named_like_a_removed_one_gets_its_own_key(world: World) -> None:
    rows = [row for row in DEFAULT_ROWS if row["key"] != "joy"]
    do_configure_diary(None, world.program, rows=rows)
    from trellis.practice.actions.diary import new_row_key

    config = DiaryCardConfig.objects.get()
    taken = {r["key"] for r in [*config.rows, *config.retired_rows]}
    assert new_row_key("Joy", taken) == "joy_2"
    assert new_row_key("3 things!", taken) == "row_3_things"


def test_tracks_and_switching_the_card_off(world: World, client_for: Clients) -> None:
    # The participant is on the evening track; the card is for the morning track only.
    response = client_for(world.director).post(
        url(world),
        {**default_form(), "tracks": [str(world.morning.public_id)]},
    )
    assert response.status_code == 302
    client = client_for(world.participant_user)
    assert "does not use a diary card" in client.get("/me/practice/diary/").content.decode()
    today = org_today().isoformat()
    refused = client.post("/me/practice/diary/", {"card_on": today, "sadness": "2"})
    assert refused.status_code == 400
    assert not DiaryCard.objects.exists()
    do_configure_diary(None, world.program, tracks=[world.evening])
    assert "does not use" not in client.get("/me/practice/diary/").content.decode()
    do_configure_diary(None, world.program, enabled=False)
    assert "does not use a diary card" in client.get("/me/practice/diary/").content.decode()
    with pytest.raises(ValidationError, match="tracks of this program"):
        do_configure_diary(None, world.program, tracks=[world.sud_track])


# --- the skills checklist row ---

CHECKLIST = {"key": "skills_used", "label": "Skills I used", "kind": "skill_checklist"}


def checklist_program(world: World) -> tuple[Skill, Skill]:
    dear = dear_man(world.organization)
    tipp = Skill.objects.create(
        module=dear.module, name="Changing body chemistry", acronym="TIPP", summary="Cool down."
    )
    do_configure_diary(None, world.program, rows=[*DEFAULT_ROWS, CHECKLIST])
    return dear, tipp


def test_the_participant_ticks_skills_and_the_clinician_sees_acronyms(
    world: World, client_for: Clients
) -> None:
    dear, tipp = checklist_program(world)
    client = client_for(world.participant_user)
    page = client.get("/me/practice/diary/").content.decode()
    assert page.count('type="checkbox" name="skills_used"') == 2
    assert 'class="check-44"' in page
    saved = client.post(
        "/me/practice/diary/",
        {
            "card_on": org_today().isoformat(),
            "idempotency_key": "k1",
            "skills_used": [str(tipp.public_id), str(dear.public_id)],
        },
    )
    assert saved.status_code == 200
    card = DiaryCard.objects.get()
    assert card.values["skills_used"] == [str(dear.public_id), str(tipp.public_id)]
    do_set_skill_active(None, tipp, active=False)  # retired later: still shown, marked
    week = client_for(world.clinician).get(f"/practice/diary/{world.participant.public_id}/")
    assert "DEAR MAN, TIPP (retired)" in week.content.decode()
    yesterday = client.get(f"/me/practice/diary/?day={org_today() - timedelta(days=1)}")
    assert yesterday.content.decode().count('type="checkbox" name="skills_used"') == 1


@pytest.mark.parametrize("which", ["unknown", "retired", "other_organization"])
def test_unknown_or_retired_skills_are_refused(world: World, which: str) -> None:
    dear, tipp = checklist_program(world)
    chosen = {"unknown": "not-a-skill", "retired": str(tipp.public_id)}.get(which, "")
    if which == "retired":
        do_set_skill_active(None, tipp, active=False)
    if which == "other_organization":
        from trellis.programs.actions import do_create_organization

        other = do_create_organization(None, name="Elsewhere (test)", time_zone="UTC")
        chosen = str(dear_man(other).public_id)
    access = access_diary(world.participant_user, world.participant.public_id)
    with pytest.raises(ValidationError) as caught:
        check_submit_diary_card(
            world.participant_user,
            access,
            card_on=org_today(),
            answers={"skills_used": [str(dear.public_id), chosen]},
        )
    assert "unknown or retired" in caught.value.message_dict["skills_used"][0]
    assert not DiaryCard.objects.exists()


def test_a_checklist_row_cannot_carry_a_risk_rule(world: World) -> None:
    with pytest.raises(ValidationError, match="checklist row cannot raise risk"):
        do_configure_diary(
            None,
            world.program,
            rows=[*DEFAULT_ROWS, CHECKLIST],
            risk_rules=[{"row": "skills_used", "at_least": 1}],
        )
