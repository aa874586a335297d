"""The alert page a clinician acts from: the chart, the answers that raised it, how to reach
the participant and the crisis steps, who else has it and when it escalates; and who receives
a program's urgent alerts when nobody is on call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.contrib.admin.sites import site as admin_site
from django.test import Client, override_settings
from django.utils import timezone

from tests.personas import World
from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.measures.tests.factories import complete_checkin
from trellis.worklist.actions import do_acknowledge_alert, do_set_on_call
from trellis.worklist.models import Alert, AlertKind, ProgramOnCall, RecipientReason
from trellis.worklist.queries import urgent_alert_receivers


def item9_alert(world: World) -> Alert:
    complete_checkin(world.participant, 14, item9=2)
    return Alert.objects.get(kind=AlertKind.CRITICAL_ITEM)


def test_the_alert_page_shows_the_score_severity_and_the_answer_that_raised_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    alert = item9_alert(world)
    page = client_for(world.clinician).get(f"/worklist/{alert.public_id}/")
    body = page.content.decode()
    assert "14" in body
    assert "Moderate" in body
    assert "Thoughts that you would be better off dead" in body
    assert "More than half the days" in body
    # The response was read through measures' access function: its view is audited.
    assert Event.objects.filter(
        actor=world.clinician, object_type="measures.response", action="view"
    ).exists()


def test_the_alert_page_links_to_the_chart_for_those_who_may_open_it(
    world: World, client_for: Callable[[User], Client]
) -> None:
    alert = item9_alert(world)
    chart = f"/participants/{world.participant.public_id}/"
    assert (
        chart in client_for(world.clinician).get(f"/worklist/{alert.public_id}/").content.decode()
    )


def test_an_on_call_clinician_off_the_care_team_sees_how_to_act_but_not_the_chart(
    world: World, client_for: Callable[[User], Client]
) -> None:
    now = timezone.now()
    do_set_on_call(
        None,
        world.program,
        world.other_clinician,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
    )
    alert = item9_alert(world)
    body = client_for(world.other_clinician).get(f"/worklist/{alert.public_id}/").content.decode()
    assert f"/participants/{world.participant.public_id}/" not in body
    assert "555-0100" in body
    assert "988" in body
    assert "Thoughts that you would be better off dead" in body


def test_the_alert_page_shows_the_crisis_steps_and_the_program_crisis_line(
    world: World, client_for: Callable[[User], Client]
) -> None:
    alert = item9_alert(world)
    client = client_for(world.clinician)
    body = client.get(f"/worklist/{alert.public_id}/").content.decode()
    assert "988" in body
    assert "555-0100" in body  # the participant's phone
    assert "Program crisis line: not set" in body
    world.program.crisis_phone = "555-0199"
    world.program.save(update_fields=["crisis_phone"])
    body = client.get(f"/worklist/{alert.public_id}/").content.decode()
    assert "555-0199" in body


@override_settings(TRELLIS_ALERT_ESCALATION_MINUTES=120)
def test_the_alert_page_names_each_recipient_their_acknowledgement_and_the_escalation_time(
    world: World, client_for: Callable[[User], Client]
) -> None:
    now = timezone.now()
    do_set_on_call(
        None,
        world.program,
        world.other_clinician,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
    )
    alert = item9_alert(world)
    escalates = timezone.localtime(alert.created_at + timedelta(minutes=120), world.organization.tz)
    client = client_for(world.clinician)
    body = client.get(f"/worklist/{alert.public_id}/").content.decode()
    assert "Escalates to the program director" in body
    assert escalates.strftime("%H:%M") in body
    assert "Morgan Morning" in body
    assert "On-call clinician" in body
    do_acknowledge_alert(world.other_clinician, alert)
    body = client.get(f"/worklist/{alert.public_id}/").content.decode()
    assert "Escalates to the program director" not in body
    # Each recipient acknowledges for themselves: the page says who has and who has not.
    assert body.count("Acknowledged ") == 1
    assert "Not acknowledged yet" in body
    do_acknowledge_alert(world.clinician, alert)
    recipients = {r.user_id: r.acknowledged_at for r in alert.recipients.all()}
    assert all(recipients.values())
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.other_clinician  # the first one counts for timing


def test_a_program_without_an_on_call_clinician_sends_urgent_alerts_to_its_director_at_once(
    world: World,
) -> None:
    assert not ProgramOnCall.objects.exists()
    receivers = urgent_alert_receivers(world.program, timezone.now())
    assert [(r.user, r.reason) for r in receivers] == [(world.director, RecipientReason.NO_ON_CALL)]
    alert = item9_alert(world)
    assert {(r.user, r.reason) for r in alert.recipients.all()} == {
        (world.clinician, RecipientReason.PRIMARY),
        (world.director, RecipientReason.NO_ON_CALL),
    }


def test_with_an_on_call_clinician_the_director_hears_only_on_escalation(world: World) -> None:
    now = timezone.now()
    do_set_on_call(
        None,
        world.program,
        world.other_clinician,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
    )
    receivers = urgent_alert_receivers(world.program, now)
    assert [(r.user, r.reason) for r in receivers] == [
        (world.other_clinician, RecipientReason.ON_CALL)
    ]
    alert = item9_alert(world)
    assert not alert.recipients.filter(user=world.director).exists()


def test_the_on_call_admin_says_which_programs_have_nobody_on_call(
    world: World, client_for: Callable[[User], Client]
) -> None:
    admin = User.objects.create_superuser("root.admin", "root@riverbend.test", "x" * 12)
    now = timezone.now()
    do_set_on_call(
        None,
        world.program,
        world.other_clinician,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
    )
    assert ProgramOnCall in admin_site._registry
    body = client_for(admin).get("/admin/worklist/programoncall/").content.decode()
    assert "Adult Substance Use IOP has nobody on call now" in body
    assert "Adult Mental Health IOP has nobody on call now" not in body
