"""Append events to the audit trail and verify the chain."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone

from trellis.audit.models import GENESIS_HASH, Action, ChainHead, Event, Outcome

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant


@dataclass(frozen=True)
class RequestContext:
    client_addr: str | None


# Set per request by audit.middleware.RequestContextMiddleware; actions read the client
# address from here so they need not be handed the request.
current_request: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "trellis_audit_request", default=None
)


def record(
    actor: User | None,
    action: Action | str,
    *,
    participant: Participant | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    outcome: Outcome | str = Outcome.SUCCESS,
    purpose: str = "",
    role: str = "",
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
) -> Event:
    """Append one event to the chain, inside the caller's transaction if there is one.

    Never put free clinical text in `detail`: keep it to identifiers, field names and codes.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
    context = current_request.get()
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        event = Event(
            occurred_at=timezone.now(),
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=actor_label
            or (actor.get_username() if actor is not None and actor.is_authenticated else ""),
            role=role,
            action=action,
            participant=participant,
            object_type=object_type,
            object_id=object_id,
            outcome=outcome,
            purpose=purpose,
            client_addr=context.client_addr if context else None,
            detail=detail or {},
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        head.last_event_id = event.pk
        head.last_hash = event.hash
        head.event_count += 1
        head.save(update_fields=["last_event_id", "last_hash", "event_count"])
    return event


@dataclass(frozen=True)
class EventSpec:
    """One event of a batch for `record_many`: the per-event fields of `record`."""

    action: Action | str
    participant: Participant | None = None
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    outcome: Outcome | str = Outcome.SUCCESS
    purpose: str = ""
    role: str = ""
    detail: dict[str, Any] | None = None


def record_many(
    actor: User | None, specs: list[EventSpec], *, actor_label: str = ""
) -> list[Event]:
    """Append several events by one actor in a fixed number of queries (lock, insert, move
    the head), for pages that show many people at once and for bulk loads (the demo): each
    person's access history still gets its own event, but the cost no longer grows with the
    number of people."""
    if not specs:
        return []
    context = current_request.get()
    authenticated = actor is not None and actor.is_authenticated
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
        previous = head.last_hash
        now = timezone.now()
        events = []
        for spec in specs:
            obj = spec.obj
            object_type, object_id = spec.object_type, spec.object_id
            if obj is not None:
                object_type = object_type or obj._meta.label_lower
                object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
            event = Event(
                occurred_at=now,
                actor=actor if authenticated else None,
                actor_label=actor_label
                or (actor.get_username() if actor is not None and authenticated else ""),
                role=spec.role,
                action=spec.action,
                participant=spec.participant,
                object_type=object_type,
                object_id=object_id,
                outcome=spec.outcome,
                purpose=spec.purpose,
                client_addr=context.client_addr if context else None,
                detail=spec.detail or {},
                prev_hash=previous,
            )
            event.hash = event.compute_hash()
            previous = event.hash
            events.append(event)
        # bulk_create returns primary keys on PostgreSQL and on SQLite (RETURNING); the chain
        # order is the insertion order, which is the id order.
        created = Event.objects.bulk_create(events)
        head.last_event_id = max(e.pk for e in created)
        head.last_hash = previous
        head.event_count += len(created)
        head.save(update_fields=["last_event_id", "last_hash", "event_count"])
    return created


def record_list(
    actor: User,
    *,
    object_type: str,
    participants: Iterable[Participant],
    purpose: str,
    object_id: str = "",
    role: str = "",
    detail: dict[str, Any] | None = None,
    action: Action | str = Action.LIST,
) -> list[Event]:
    """Record what a list page or list endpoint showed: one `list` event for each person on
    it, in a fixed number of queries, so "who looked at this person" finds every list that
    named them.

    Each event carries the list's `detail` (its filters and number of results). A list that
    shows nobody still leaves one event, naming nobody, with its filters: a search is itself
    information about who is in care. People shown twice (two alerts, two notes) get one
    event. A page that shows each person's record in full (a whole group note) passes
    `action=Action.VIEW`. Never put free clinical text in `detail`.
    """
    shown: dict[int, Participant] = {}
    for participant in participants:
        shown.setdefault(participant.pk, participant)
    people: list[Participant | None] = list(shown.values()) or [None]
    return record_many(
        actor,
        [
            EventSpec(
                action,
                participant=person,
                object_type=object_type,
                object_id=object_id,
                purpose=purpose,
                role=role,
                detail=detail,
            )
            for person in people
        ],
    )


@dataclass(frozen=True)
class ChainBreak:
    event_id: int | None
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _events_in_order(chunk_size: int = 2000) -> Iterator[Event]:
    return Event.objects.order_by("id").iterator(chunk_size=chunk_size)


def verify_chain() -> VerifyResult:
    """Walk every event in order; return the first place where the chain does not hold."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    for event in _events_in_order():
        if event.prev_hash != expected_prev:
            return VerifyResult(
                checked,
                ChainBreak(
                    event.pk,
                    "its link to the previous event does not match: an event before it was "
                    "removed, inserted or altered",
                ),
            )
        if event.compute_hash() != event.hash:
            return VerifyResult(
                checked, ChainBreak(event.pk, "its content does not match its hash: altered")
            )
        expected_prev = event.hash
        last_id = event.pk
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head else GENESIS_HASH
    head_count = head.event_count if head else 0
    if head_hash != expected_prev or head_count != checked:
        return VerifyResult(
            checked,
            ChainBreak(
                last_id or None,
                f"the chain head expects {head_count} events ending in "
                f"#{head.last_event_id if head else 0}, found {checked}: "
                "events at the end were removed",
            ),
        )
    return VerifyResult(checked, None)
