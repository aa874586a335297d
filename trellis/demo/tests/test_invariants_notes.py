"""The demo's notes do not contradict themselves (issue 9, item 19): no note predates its
episode's admission, the scores frozen at signing were measured on or before the signing,
and a trainee's notes are co-signed by their supervisor or waiting in that supervisor's
queue (the demo leaves some there, so the queue has something to show)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from trellis.notes.models import GroupNoteEntry, Note, NoteStatus

TODAY = "2026-03-02"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Seed the demo once for the whole module, then remove it again."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]  # pytest-django's blocker
        from django.db import transaction

        with transaction.atomic():
            call_command("seed_demo", "--today", TODAY, stdout=StringIO(), stderr=StringIO())
            yield
            transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _local_date(moment: datetime, note: Note) -> date:
    return timezone.localtime(moment, note.episode.program.organization.tz).date()


def test_the_demo_has_notes() -> None:
    assert Note.objects.filter(status=NoteStatus.SIGNED).exists()
    assert GroupNoteEntry.objects.filter(locked=True).exists()


def test_no_note_predates_its_episodes_admission() -> None:
    early = [
        note.public_id
        for note in Note.objects.select_related("episode__program__organization")
        if note.episode.admitted_on is None
        or _local_date(note.session_start, note) < note.episode.admitted_on
    ]
    assert early == []
    early_entries = [
        entry.public_id
        for entry in GroupNoteEntry.objects.select_related(
            "group_note", "episode__program__organization"
        )
        if entry.episode.admitted_on is None
        or timezone.localtime(
            entry.group_note.session_start, entry.episode.program.organization.tz
        ).date()
        < entry.episode.admitted_on
    ]
    assert early_entries == []


def test_scores_at_signing_were_measured_by_then() -> None:
    later = [
        (note.public_id, line["instrument"])
        for note in Note.objects.exclude(signed_at=None)
        for line in note.scores
        if datetime.fromisoformat(line["measured_at"]) > note.signed_at  # type: ignore[operator]  # signed
    ]
    assert later == []
    assert any(note.scores for note in Note.objects.exclude(signed_at=None))


def test_trainee_notes_are_cosigned_or_waiting_for_their_supervisor() -> None:
    trainee_notes = list(
        Note.objects.filter(author__staff_profile__is_trainee=True).select_related(
            "author__staff_profile"
        )
    )
    assert trainee_notes, "the demo has a trainee who writes notes"
    for note in trainee_notes:
        supervisor_id = note.author.staff_profile.supervisor_id
        assert note.cosigner_id == supervisor_id
        if note.status == NoteStatus.SIGNED:
            assert note.cosigned_at is not None
            assert note.cosigned_at >= note.signed_at  # type: ignore[operator]  # signed
        else:
            assert note.status == NoteStatus.AWAITING_COSIGN
    statuses = {note.status for note in trainee_notes}
    # Both: co-signed history, and some left in the supervisor's queue for the demo.
    assert statuses == {NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN}


def test_trainee_group_notes_are_cosigned_or_waiting_in_the_supervisors_queue() -> None:
    from trellis.notes.models import GroupNote, GroupNoteStatus

    assert GroupNote.objects.filter(status="signed", cosigner__isnull=True).exists()
    trainee_notes = list(
        GroupNote.objects.filter(author__staff_profile__is_trainee=True).select_related(
            "author__staff_profile"
        )
    )
    assert trainee_notes, "the demo has a trainee who facilitates and writes group notes"
    for note in trainee_notes:
        assert note.cosigner_id == note.author.staff_profile.supervisor_id
        if note.status == GroupNoteStatus.SIGNED:
            assert note.cosigned_at is not None
            assert note.cosigned_at >= note.signed_at  # type: ignore[operator]  # signed
        else:
            assert note.status == GroupNoteStatus.AWAITING_COSIGN
            assert note.cosigned_at is None
    statuses = {note.status for note in trainee_notes}
    assert GroupNoteStatus.AWAITING_COSIGN in statuses
