"""The hash chain and `manage.py audit_verify`: an intact trail passes, any tampering fails."""

from __future__ import annotations

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.personas import World
from tests.queries import CountQueries
from trellis.audit.models import GENESIS_HASH, Action, ChainHead, Event, Purpose
from trellis.audit.tests.tamper import (
    disable_append_only_trigger,
    raw_delete,
    raw_update,
    rewrite_chain_from,
)
from trellis.audit.trail import EventSpec, record, record_many, verify_chain


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


@pytest.fixture
def long_trail(world: World) -> list[Event]:
    """The world's own events plus 200 views of a chart, oldest first."""
    for number in range(200):
        record(
            world.clinician,
            Action.VIEW,
            participant=world.participant,
            obj=world.participant,
            purpose=Purpose.TREAT,
            detail={"n": number},
        )
    return list(Event.objects.order_by("id"))


def test_record_links_each_event_to_the_one_before(long_trail: list[Event]) -> None:
    assert long_trail[0].prev_hash == GENESIS_HASH
    for previous, event in itertools.pairwise(long_trail):
        assert event.prev_hash == previous.hash
        assert event.hash == event.compute_hash()
    head = ChainHead.objects.get(pk=1)
    assert (head.last_event_id, head.last_hash, head.event_count) == (
        long_trail[-1].pk,
        long_trail[-1].hash,
        len(long_trail),
    )


def test_verify_passes_on_an_intact_trail_of_many_events(long_trail: list[Event]) -> None:
    assert verify_chain().ok
    output = verify()
    assert output.startswith(f"OK: {len(long_trail)} events, chain intact\n")
    assert long_trail[-1].hash in output


def test_verify_passes_on_an_empty_trail(db: None) -> None:
    assert verify().startswith("OK: 0 events, chain intact")


def test_altering_a_stored_event_fails_verification_naming_that_event(
    long_trail: list[Event],
) -> None:
    altered = long_trail[100]
    disable_append_only_trigger()
    raw_update(altered.pk, object_id="someone-else")

    with pytest.raises(CommandError, match=rf"event #{altered.pk} \(.*action view\).*altered"):
        verify()


def test_altering_an_event_and_its_hash_breaks_the_next_link(long_trail: list[Event]) -> None:
    altered, following = long_trail[100], long_trail[101]
    disable_append_only_trigger()
    raw_update(altered.pk, object_id="someone-else")
    altered.refresh_from_db()
    raw_update(altered.pk, hash=altered.compute_hash())

    with pytest.raises(CommandError, match=rf"event #{following.pk} .*does not match"):
        verify()


def test_deleting_an_event_in_the_middle_is_detected_at_the_next_event(
    long_trail: list[Event],
) -> None:
    disable_append_only_trigger()
    raw_delete(long_trail[50].pk)

    with pytest.raises(CommandError, match=rf"event #{long_trail[51].pk} .*removed"):
        verify()


def test_deleting_the_last_event_is_detected_by_the_chain_head(long_trail: list[Event]) -> None:
    disable_append_only_trigger()
    raw_delete(long_trail[-1].pk)

    with pytest.raises(
        CommandError, match=rf"expects {len(long_trail)} events.*found {len(long_trail) - 1}"
    ):
        verify()


def test_a_full_rewrite_passes_alone_but_fails_against_an_earlier_checkpoint(
    long_trail: list[Event],
) -> None:
    checkpoint = long_trail[-1].hash
    assert verify_chain().ok
    disable_append_only_trigger()
    rewrite_chain_from(long_trail[10].pk, object_id="someone-else")

    # Whoever can write the file or the table can rebuild a consistent chain: only a head
    # hash kept elsewhere shows it.
    assert verify().startswith("OK:")
    with pytest.raises(CommandError, match="not in the chain"):
        call_command("audit_verify", checkpoint=checkpoint, stdout=StringIO())


def test_a_checkpoint_still_in_the_chain_passes(long_trail: list[Event]) -> None:
    checkpoint = long_trail[-1].hash
    record(None, Action.SIGN_IN_FAILED, actor_label="nobody")
    out = StringIO()
    call_command("audit_verify", checkpoint=checkpoint, stdout=out)
    assert f"Checkpoint {checkpoint} found" in out.getvalue()


def test_a_malformed_checkpoint_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="64-character"):
        call_command("audit_verify", checkpoint="not-a-hash", stdout=StringIO())


def test_a_batch_of_events_keeps_the_chain_intact_in_a_fixed_number_of_queries(
    world: World, count_queries: CountQueries
) -> None:
    specs = [
        EventSpec(Action.VIEW, participant=p, obj=p, purpose=Purpose.TREAT)
        for p in (world.participant, world.other_participant, world.sud_participant)
    ]
    with count_queries() as few:
        record_many(world.director, specs[:1])
    with count_queries() as many:
        created = record_many(world.director, specs)
    assert few.count == many.count
    assert [e.participant for e in created] == [
        world.participant,
        world.other_participant,
        world.sud_participant,
    ]
    result = verify_chain()
    assert result.ok, result.first_break


def test_record_list_names_each_person_once_in_a_fixed_number_of_queries(
    world: World, count_queries: CountQueries
) -> None:
    from trellis.audit.trail import record_list

    shown = [world.participant, world.other_participant, world.participant]  # one twice
    with count_queries() as one:
        record_list(
            world.director,
            object_type="participants.participant",
            participants=shown[:1],
            purpose=Purpose.TREAT,
            detail={"results": 1},
        )
    with count_queries() as three:
        events = record_list(
            world.director,
            object_type="participants.participant",
            participants=shown,
            purpose=Purpose.TREAT,
            detail={"q": "quill", "results": 2},
        )
    assert one.count == three.count
    assert [e.participant for e in events] == [world.participant, world.other_participant]
    assert {(e.action, e.detail["q"]) for e in events} == {(Action.LIST, "quill")}
    nobody = record_list(
        world.director,
        object_type="participants.participant",
        participants=[],
        purpose=Purpose.TREAT,
        detail={"q": "nobody", "results": 0},
    )
    assert [(e.participant, e.detail["q"]) for e in nobody] == [(None, "nobody")]
    result = verify_chain()
    assert result.ok, result.first_break
