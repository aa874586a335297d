"""The notes' wiring to measures (score snapshot) and scheduling (late entry)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.test import Client
from django.utils import timezone

from tests.personas import PASSWORD, World
from trellis.accounts.models import User
from trellis.measures.actions import do_record_past_response
from trellis.measures.registry import get_instrument
from trellis.measures.tests.factories import answers_for
from trellis.notes import actions, late
from trellis.notes.models import Note
from trellis.notes.tests.factory import signed_note, written_note
from trellis.scheduling import actions as sactions


def test_the_snapshot_shows_the_latest_score_of_each_instrument(
    world: World, client_for: Callable[[User], Client]
) -> None:
    episode = world.participant.episodes.get()
    for code, totals in (("PHQ-9", [18, 11]), ("GAD-7", [14, 6])):
        instrument = get_instrument(code)
        for days_ago, total in zip((14, 2), totals, strict=True):
            do_record_past_response(
                None, episode, code, answers_for(instrument, total),
                submitted_at=timezone.now() - timedelta(days=days_ago),
            )  # fmt: skip
    draft = written_note(world.clinician, episode)
    page = client_for(world.clinician).get(
        f"/participants/{world.participant.public_id}/notes/{draft.public_id}/edit/"
    )
    assert "PHQ-9 11" in page.content.decode()
    assert "GAD-7 6" in page.content.decode()
    signed = actions.check_sign_note(
        world.clinician, draft, typed_name=world.clinician.name, password=PASSWORD,
        revision=draft.revision,
    )  # fmt: skip
    frozen = {s["instrument"]: s["value"] for s in Note.objects.get(pk=signed.pk).scores}
    assert frozen == {"GAD-7": 6, "PHQ-9": 11}


def _nightly(world: World, first_day: datetime) -> None:
    """Patricia on a nightly 6 pm group from `first_day` on."""
    series = sactions.do_create_series(
        world.director,
        world.evening,
        sactions.SeriesData(
            name="Nightly", start_time=time(18, 0), duration_minutes=60,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", dtstart=first_day.date(),
            capacity=10, room=world.room, facilitators=[world.clinician],
        ),
    )  # fmt: skip
    sactions.do_add_to_roster(None, world.participant.episodes.get(), series, series.dtstart)


def test_a_note_signed_after_the_next_scheduled_session_is_late(world: World) -> None:
    tz = world.organization.tz
    episode = world.participant.episodes.get()
    session_end = datetime.combine(timezone.now().astimezone(tz).date(), time(10, 0), tzinfo=tz)
    session_end -= timedelta(days=5)
    _nightly(world, session_end - timedelta(days=7))
    # Next session: the same day at 6 pm. Signed at 5 pm: on time; at 7 pm: late (< 24 h).
    assert not late.is_late(episode, session_end, session_end + timedelta(hours=7))
    assert late.is_late(episode, session_end, session_end + timedelta(hours=9))


def test_without_a_next_session_the_24_hour_rule_applies(world: World) -> None:
    episode = world.participant.episodes.get()
    session_end = timezone.now() - timedelta(days=3)
    assert late.next_session_start(episode, session_end) is None
    assert not late.is_late(episode, session_end, session_end + timedelta(hours=23))
    assert late.is_late(episode, session_end, session_end + timedelta(hours=25))


def test_signing_records_the_late_entry_flag_from_the_schedule(world: World) -> None:
    tz = world.organization.tz
    local_now = timezone.now().astimezone(tz)
    # A nightly group that started a week ago: a note of a session 3 days ago, signed now,
    # comes after the next session (that evening).
    _nightly(world, local_now - timedelta(days=7))
    start = (local_now - timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    note = signed_note(world.clinician, world.participant.episodes.get(), PASSWORD, start=start)
    assert note.late_entry
