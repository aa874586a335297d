"""Group sessions with attendance and group notes, built through the real actions, for the
group-note tests, the URL walk, the browser test and the bench."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from tests.personas import PASSWORD, World, make_participant
from trellis.accounts.models import User
from trellis.notes.group import actions as ga
from trellis.notes.models import GroupNote, GroupNoteEntry, Participation, RiskLevel
from trellis.participants.models import Participant
from trellis.programs.models import ClinicianKind, Track
from trellis.scheduling import actions as sactions
from trellis.scheduling.queries import Slot, find_slot

GIVEN = [
    "Avery",
    "Blair",
    "Corin",
    "Dario",
    "Elowen",
    "Fenna",
    "Galen",
    "Hollis",
    "Isolde",
    "Jorah",
    "Kestrel",
    "Linden",
    "Marlow",
    "Nerys",
]
FAMILY = [
    "Ashgrove",
    "Birchall",
    "Coldwater",
    "Dunmere",
    "Eastbrook",
    "Fernsby",
    "Glenholt",
    "Harrowgate",
    "Ivybridge",
    "Juniper",
    "Kettleby",
    "Larkspur",
    "Mossfield",
    "Nettlecombe",
]


def members(world: World, count: int, *, clinician: User | None = None) -> list[Participant]:
    """`count` more participants of the evening track, on `clinician`'s care team."""
    start = Participant.objects.count()
    return [
        make_participant(
            world.organization,
            f"MRN-G{start + i:04d}",
            GIVEN[i % len(GIVEN)],
            FAMILY[i % len(FAMILY)] + ("" if i < len(FAMILY) else str(i)),
            program=world.program,
            track=world.evening,
            team=[(clinician or world.director, ClinicianKind.THERAPIST, True)],
        )
        for i in range(count)
    ]


def local_today(world: World) -> date:
    return timezone.now().astimezone(world.organization.tz).date()


def group_session(
    world: World,
    people: list[Participant],
    *,
    facilitator: User | None = None,
    track: Track | None = None,
    day: date | None = None,
    name: str = "Evening skills group",
    absent: list[Participant] | None = None,
) -> Slot:
    """A daily group (so any day has one), everyone rostered, attendance marked on `day`
    (yesterday by default): present, or absent (excused) for `absent`."""
    facilitator = facilitator or world.clinician
    day = day or local_today(world) - timedelta(days=1)
    series = sactions.do_create_series(
        world.director,
        track or world.evening,
        sactions.SeriesData(
            name=name,
            start_time=time(18, 0),
            duration_minutes=90,
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU",
            dtstart=day - timedelta(days=30),
            capacity=14,
            room=world.room,
            facilitators=[facilitator],
            topics=["Distress tolerance: TIPP"],
        ),
    )
    away = {p.pk for p in absent or []}
    for person in people:
        sactions.do_add_to_roster(None, person.episodes.get(), series, series.dtstart)
    slot = find_slot(series.public_id, day)
    assert slot is not None
    for person in people:
        status = "absent_excused" if person.pk in away else "present"
        sactions.do_record_attendance(
            facilitator, slot, person.episodes.get(), sactions.Mark(status)
        )
    found = find_slot(series.public_id, day)
    assert found is not None
    return found


def entry_text(person: Participant) -> str:
    # A marker unique to each member, so privacy tests can look for it in other charts.
    return f"Shared a coping plan (marker {person.mrn})."


def write_all(author: User, note: GroupNote, slot: Slot, *, mention: str = "") -> None:
    """Fill the group part and every present member's entry (with `mention` appended to the
    first entry's response, for the name-warning tests)."""
    note = ga.check_save_group_part(
        author,
        note,
        slot,
        ga.GroupPart(
            topic="TIPP skills",
            interventions="Skills teaching, role play",
            themes="Handling urges at night",
        ),
        revision=note.revision,
    )
    entries = list(note.entries.select_related("episode__participant"))
    for i, entry in enumerate(entries):
        if not entry.attended:
            continue
        text = entry_text(entry.episode.participant) + (f" {mention}" if i == 0 and mention else "")
        ga.do_save_entry(
            author,
            entry,
            ga.EntryDraft(
                participation=Participation.ENGAGED,
                response=text,
                practice_reviewed="Diary card",
                practice_assigned="TIPP twice daily",
                risk_level=RiskLevel.NONE,
                plan="Continue group.",
            ),
            revision=entry.revision,
        )


def signed_group_note(
    author: User, slot: Slot, *, mention: str = "", confirm: bool = False
) -> GroupNote:
    note = ga.check_start_group_note(author, slot)
    write_all(author, note, slot, mention=mention)
    note = GroupNote.objects.get(pk=note.pk)
    return ga.check_sign_group_note(
        author,
        note,
        slot,
        typed_name=author.name,
        password=PASSWORD,
        revision=note.revision,
        mentions_confirmed=confirm,
    )


def entry_of(note: GroupNote, person: Participant) -> GroupNoteEntry:
    return note.entries.get(episode__participant=person)
