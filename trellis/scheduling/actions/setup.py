"""Program set-up that scheduling decides: retiring a room (no sessions may still use it)
and the program's staff-feed details switch."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.programs.actions import do_set_room_active
from trellis.programs.models import Program, Room
from trellis.scheduling.models import ProgramScheduleSettings
from trellis.scheduling.queries import sessions_in_room

if TYPE_CHECKING:
    from trellis.accounts.models import User

# How many series a refusal names before it says "and N more".
NAMED_SERIES = 6


def check_retire_room(actor: User, room: Room) -> Room:
    """Retire a room that no session uses from today on; otherwise say which sessions do
    (series name, track and how many sessions, first date), so they can be moved first."""
    today = room.site.organization.today()
    slots = sessions_in_room(room, today)
    if slots:
        counts = Counter(s.series.pk for s in slots)
        first: dict[int, str] = {}
        names: dict[int, str] = {}
        for slot in slots:
            first.setdefault(slot.series.pk, f"{slot.date:%a %-d %b %Y}")
            names.setdefault(
                slot.series.pk,
                f"{slot.series.name} ({slot.series.track.program.name}, {slot.series.track.name})",
            )
        parts = [
            f"{names[pk]}: {n} session{'s' if n != 1 else ''} from {first[pk]}"
            for pk, n in counts.most_common(NAMED_SERIES)
        ]
        more = len(counts) - NAMED_SERIES
        tail = f"; and {more} more series" if more > 0 else ""
        raise ValidationError(
            {
                "room": f"{room.name} still has {len(slots)} upcoming "
                f"session{'s' if len(slots) != 1 else ''}: "
                + "; ".join(parts)
                + tail
                + ". Move those sessions to another room (or end their series) first."
            }
        )
    return do_set_room_active(actor, room, is_active=False)


@transaction.atomic
def do_set_staff_feed_details(actor: User | None, program: Program, *, enabled: bool) -> None:
    """Turn session and track names in the program's *staff* calendar feeds on or off
    (participant feeds stay generic whatever this says)."""
    row, _ = ProgramScheduleSettings.objects.get_or_create(program=program)
    row.staff_feed_details = enabled
    row.save(update_fields=["staff_feed_details"])
    record(
        actor,
        Action.UPDATE,
        obj=program,
        object_type="scheduling.programschedulesettings",
        purpose=Purpose.HSYSADMIN,
        detail={"staff_feed_details": enabled},
    )


@transaction.atomic
def do_set_notice_prefills_excused(actor: User | None, program: Program, *, enabled: bool) -> None:
    """Whether a participant's "I can't come" suggests Excused on the attendance sheet."""
    row, _ = ProgramScheduleSettings.objects.get_or_create(program=program)
    row.notice_prefills_excused = enabled
    row.save(update_fields=["notice_prefills_excused"])
    record(
        actor,
        Action.UPDATE,
        obj=program,
        object_type="scheduling.programschedulesettings",
        purpose=Purpose.HSYSADMIN,
        detail={"notice_prefills_excused": enabled},
    )
