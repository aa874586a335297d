"""The discharge summary: figures equal to the chart's, signing, addenda, follow-ups, and
who reads it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tests.personas import PASSWORD, World, make_participant, org_today
from tests.queries import CountQueries
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.lib.models import SignedRecordError
from trellis.measures.actions import do_schedule_checkins
from trellis.measures.models import Administration
from trellis.measures.tests.factories import complete_checkin
from trellis.participants.models import EpisodeStatus
from trellis.plans.tests.factory import signed_plan
from trellis.programs.models import ClinicianKind
from trellis.scheduling import actions as scheduling
from trellis.scheduling.hours import week_hours
from trellis.scheduling.recurrence import iso_week_start
from trellis.scheduling.tests.factory import daily_group, enroll, slot
from trellis.transitions import actions
from trellis.transitions.models import DischargeSummary

from .factory import discharge, signed_summary

ClientFor = Callable[[User], Client]


def _summary_url(summary: DischargeSummary, tail: str = "") -> str:
    return f"/discharge-summaries/{summary.public_id}/{tail}"


def _history(world: World) -> None:
    """Two weeks of groups with attendance, PHQ-9 18 → 6 and GAD-7 12 → 9, a signed plan."""
    group = daily_group(world)
    start = org_today() - timedelta(days=14)
    enroll(group, world.participant, start)
    episode = world.participant.episodes.get()
    for n in range(1, 12):
        mark = "present" if n % 3 else "absent_unexcused"
        scheduling.do_record_attendance(
            None, slot(group, start + timedelta(days=n)), episode, scheduling.Mark(mark)
        )
    complete_checkin(world.participant, 18, days_ago=2)
    complete_checkin(world.participant, 6)
    complete_checkin(world.participant, 12, code="GAD-7", days_ago=2)
    complete_checkin(world.participant, 9, code="GAD-7")
    signed_plan(world.clinician, episode, PASSWORD)


def test_summary_figures_equal_the_charts(world: World, client_for: ClientFor) -> None:
    _history(world)
    chart = client_for(world.clinician).get(
        f"/participants/{world.participant.public_id}/measures/"
    )
    panels = {p.code: p.change for p in chart.context["panels"]}
    episode = world.participant.episodes.get()
    admitted = episode.admitted_on
    assert admitted is not None
    summary = signed_summary(world)
    figures = summary.figures
    for row in figures["measures"]:
        on_chart = panels[row["code"]]
        assert row["baseline"] == on_chart.baseline.total
        assert row["latest"] == on_chart.latest.total
        assert row["delta"] == on_chart.delta
        assert row["reliable_improvement"] == on_chart.reliable_improvement
    assert [r["code"] for r in figures["measures"]] == ["PHQ-9", "GAD-7"]
    phq9 = figures["measures"][0]
    assert (phq9["baseline"], phq9["latest"], phq9["reliable_improvement"]) == (18, 6, True)
    # Hours: the ledger's weeks, added up, as the Schedule tab and the hours API count them.
    monday, expected = iso_week_start(admitted), Decimal(0)
    while monday <= org_today():
        expected += week_hours([episode], monday)[episode.pk].attended
        monday += timedelta(weeks=1)
    assert Decimal(figures["hours"]["attended"]) == expected > 0
    assert figures["hours"]["minimum_per_week"] == str(episode.program.min_hours_per_week)
    assert figures["length_of_stay_days"] == (org_today() - admitted).days + 1
    assert figures["goals"]
    assert figures["plan_version"] == 1
    page = client_for(world.clinician).get(_summary_url(summary)).content.decode()
    assert "reliable improvement" in page
    assert f"<strong>{expected} hours</strong>" in page


def test_risk_history_lists_urgent_alerts_by_date_only(world: World) -> None:
    complete_checkin(world.participant, 14, item9=2)
    summary = signed_summary(world)
    assert summary.figures["risk"] == [{"on": org_today().isoformat(), "kind": "Critical item"}]


def test_signing_needs_the_narrative_and_the_password(world: World) -> None:
    summary = discharge(world.clinician, world.participant)
    with pytest.raises(ValidationError) as refused:
        actions.check_sign_summary(
            world.clinician,
            summary,
            typed_name=world.clinician.name,
            password=PASSWORD,
            revision=summary.revision,
        )
    assert {"narrative", "step_down_level"} <= set(refused.value.message_dict)
    summary = actions.check_save_summary(
        world.clinician,
        summary,
        narrative="Course of treatment.",
        aftercare=actions.AftercareInput(step_down_level="outpatient", crisis_steps="Call 988."),
        revision=summary.revision,
    )
    with pytest.raises(ValidationError) as refused:
        actions.check_sign_summary(
            world.clinician,
            summary,
            typed_name=world.clinician.name,
            password="wrong",
            revision=summary.revision,
        )
    assert "password" in refused.value.message_dict
    summary.refresh_from_db()
    assert not summary.is_signed
    assert not Administration.objects.filter(due_on__gt=org_today()).exists()


def test_a_signed_summary_never_changes_and_takes_addenda(
    world: World, client_for: ClientFor
) -> None:
    summary = signed_summary(world)
    with pytest.raises(ValidationError):
        actions.check_save_summary(
            world.clinician,
            summary,
            narrative="Rewritten.",
            aftercare=actions.AftercareInput(),
            revision=summary.revision,
        )
    loaded = DischargeSummary.objects.get(pk=summary.pk)
    loaded.narrative = "Rewritten."
    with pytest.raises(SignedRecordError):
        loaded.save()
    plan = DischargeSummary.objects.get(pk=summary.pk).aftercare
    plan.provider = "Elsewhere"
    with pytest.raises(SignedRecordError):
        plan.save()
    response = client_for(world.director).post(
        _summary_url(summary, "addenda/"), {"text": "Follow-up call made on day 3."}
    )
    assert response.status_code == 302
    assert summary.addenda.get().author == world.director
    assert Event.objects.filter(actor=world.clinician, action="sign").exists()


def test_follow_ups_are_scheduled_at_30_and_90_days_in_the_organizations_zone(
    world: World,
) -> None:
    summary = signed_summary(world)
    discharged = summary.episode.discharged_on
    assert discharged is not None
    follow_ups = list(Administration.objects.filter(due_on__gt=org_today()).order_by("due_on"))
    assert sorted({a.due_on for a in follow_ups}) == [
        discharged + timedelta(days=30),
        discharged + timedelta(days=90),
    ]
    assert {a.instrument_code for a in follow_ups} == {"PHQ-9", "GAD-7"}
    zone = world.organization.tz
    for a in follow_ups:
        assert a.available_from == datetime.combine(a.due_on, time.min, tzinfo=zone)
    assert sorted(summary.aftercare.follow_up_ids) == sorted(str(a.public_id) for a in follow_ups)
    # The daily sweep, on the day they fall due, finds them made and adds none.
    created = do_schedule_checkins(on=discharged + timedelta(days=30))
    assert not [a for a in created if a.episode_id == summary.episode_id]


def test_the_summary_lists_follow_ups_still_ahead_as_scheduled_not_due(
    world: World, client_for: ClientFor
) -> None:
    summary = signed_summary(world)
    page = client_for(world.director).get(_summary_url(summary)).content.decode()
    day30 = summary.episode.discharged_on + timedelta(days=30)  # type: ignore[operator]
    assert f"PHQ-9 due {day30:%Y-%m-%d} (scheduled)" in page
    assert "(due)" not in page


def test_a_discharged_participant_can_complete_a_follow_up(
    world: World, client_for: ClientFor
) -> None:
    signed_summary(world)
    follow_up = Administration.objects.filter(due_on__gt=org_today()).order_by("due_on").first()
    assert follow_up is not None
    # The day it opens (test data: the window moved to now).
    Administration.objects.filter(pk=follow_up.pk).update(
        available_from=timezone.now() - timedelta(hours=1),
        expires_at=timezone.now() + timedelta(days=13),
    )
    client = client_for(world.participant_user)
    page = client.get("/me/check-ins/").content.decode()
    assert f"/me/check-ins/{follow_up.public_id}/" in page
    assert client.get(f"/me/check-ins/{follow_up.public_id}/").status_code == 200


def test_the_participant_reads_their_own_aftercare_plan_once_signed(
    world: World, client_for: ClientFor
) -> None:
    summary = discharge(world.clinician, world.participant)
    client = client_for(world.participant_user)
    assert "You have no aftercare plan yet" in client.get("/me/aftercare/").content.decode()
    assert client.get(_summary_url(summary)).status_code in {403, 404}
    signed_summary_for_draft(world, summary)
    page = client.get("/me/aftercare/").content.decode()
    assert "Riverside Counseling" in page
    assert "988" in page
    assert "PHQ-9" not in page  # plain words, no instrument codes
    assert "Engaged well" not in page  # the clinical narrative stays with the team


def signed_summary_for_draft(world: World, summary: DischargeSummary) -> DischargeSummary:
    summary = actions.check_save_summary(
        world.clinician,
        summary,
        narrative="Engaged well.",
        aftercare=actions.AftercareInput(
            step_down_level="outpatient",
            provider="Riverside Counseling",
            crisis_steps=actions.CRISIS_DEFAULT,
        ),
        revision=summary.revision,
    )
    return actions.check_sign_summary(
        world.clinician,
        summary,
        typed_name=world.clinician.name,
        password=PASSWORD,
        revision=summary.revision,
    )


def test_other_participants_and_staff_outside_scope_do_not_see_it(
    world: World, client_for: ClientFor
) -> None:
    summary = signed_summary(world)
    other = world.other_participant
    assert "Riverside" not in client_for(world.participant_user).get("/").content.decode()
    for user in (world.other_clinician, world.outsider, world.front_desk, world.intake):
        response = client_for(user).get(_summary_url(summary))
        assert response.status_code == 404, user
        assert Event.objects.filter(actor=user, action="deny").exists()
    assert other.user_id is None  # the other persona has no sign-in: nothing of theirs leaks


def test_the_author_keeps_their_draft_after_a_back_dated_discharge(
    world: World, client_for: ClientFor
) -> None:
    summary = discharge(world.clinician, world.participant, on=org_today() - timedelta(days=3))
    client = client_for(world.clinician)
    assert client.get(_summary_url(summary)).status_code == 200
    signed_summary_for_draft(world, summary)
    # Signed: the care team ended three days ago, so the chart's rules apply again.
    assert client.get(_summary_url(summary)).status_code == 404


def test_appointments_are_added_and_removed_on_the_draft(
    world: World, client_for: ClientFor
) -> None:
    summary = discharge(world.clinician, world.participant)
    client = client_for(world.clinician)
    when = (org_today() + timedelta(days=7)).isoformat() + "T10:30"
    client.post(_summary_url(summary, "appointments/"), {"starts_at": when, "with_whom": "Dr Lee"})
    appointment = summary.aftercare.appointments.get()
    local = timezone.localtime(appointment.starts_at, world.organization.tz)
    assert (local.date(), local.hour, local.minute) == (org_today() + timedelta(days=7), 10, 30)
    client.post(
        _summary_url(summary, "appointments/remove/"), {"appointment": appointment.public_id}
    )
    assert not summary.aftercare.appointments.exists()
    response = client.post(
        _summary_url(summary, "appointments/"),
        {"starts_at": (org_today() - timedelta(days=2)).isoformat() + "T10:30", "with_whom": "X"},
        follow=True,
    )
    assert "on or after the discharge date" in response.content.decode()


def test_the_printable_copy_is_plain(world: World, client_for: ClientFor) -> None:
    _history(world)
    summary = signed_summary(world)
    page = client_for(world.clinician).get(_summary_url(summary, "print/")).content.decode()
    assert "mood (depression) questionnaire" in page
    assert "PHQ-9" not in page
    assert "Thursday alumni group" in page


def test_my_aftercare_queries_do_not_grow_with_summaries(
    world: World, client_for: ClientFor, count_queries: CountQueries
) -> None:
    signed_summary(world)
    client = client_for(world.participant_user)
    client.get("/me/aftercare/")
    with count_queries() as small:
        client.get("/me/aftercare/")
    # A second, earlier episode of the same person, discharged and signed.
    later = make_participant(
        world.organization,
        "T0001",
        "Tess",
        "Later",
        program=world.program,
        track=world.evening,
        team=[(world.clinician, ClinicianKind.THERAPIST, True)],
    )
    assert later.episodes.get().status == EpisodeStatus.ACTIVE
    signed_summary(world, later)
    with count_queries() as large:
        client.get("/me/aftercare/")
    assert large.count == small.count


def test_the_aftercare_plan_starts_with_the_programs_after_hours_line(world: World) -> None:
    world.program.crisis_phone = "312-555-0142"
    world.program.save(update_fields=["crisis_phone"])
    plan = discharge(world.clinician, world.participant).aftercare
    assert "988" in plan.crisis_steps
    assert "312-555-0142" in plan.crisis_steps


def test_without_an_after_hours_line_the_plan_gives_911_and_988(world: World) -> None:
    plan = discharge(world.clinician, world.participant).aftercare
    assert plan.crisis_steps == actions.CRISIS_DEFAULT
