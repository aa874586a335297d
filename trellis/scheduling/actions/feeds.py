"""Calendar feeds: create, revoke and rotate secret feed URLs."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trellis.audit.models import Action
from trellis.audit.trail import record
from trellis.programs.models import Room
from trellis.scheduling.models import (
    CalendarFeed,
    FeedKind,
)

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant


# --- calendar feeds ---------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_create_feed(
    actor: User | None,
    kind: str,
    *,
    participant: Participant | None = None,
    user: User | None = None,
    room: Room | None = None,
) -> tuple[CalendarFeed, str]:
    """A new secret feed URL token. The token is returned once; only its hash is kept."""
    targets = {FeedKind.PARTICIPANT: participant, FeedKind.CLINICIAN: user, FeedKind.ROOM: room}
    if kind not in targets or targets[kind] is None:  # type: ignore[index]  # checked membership
        raise ValidationError({"kind": "Say whose calendar this is."})
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        kind=kind,
        participant=participant if kind == FeedKind.PARTICIPANT else None,
        user=user if kind == FeedKind.CLINICIAN else None,
        room=room if kind == FeedKind.ROOM else None,
        token_hash=hash_token(token),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record(
        actor,
        Action.CREATE,
        participant=participant,
        obj=feed,
        detail={"kind": kind},
    )
    return feed, token


@transaction.atomic
def do_revoke_feed(actor: User | None, feed: CalendarFeed) -> None:
    if feed.revoked_at is not None:
        return
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    record(actor, Action.UPDATE, participant=feed.participant, obj=feed, detail={"revoked": True})


@transaction.atomic
def do_rotate_feed(actor: User | None, feed: CalendarFeed) -> tuple[CalendarFeed, str]:
    """Revoke a feed and issue a new URL for the same calendar."""
    do_revoke_feed(actor, feed)
    return do_create_feed(
        actor, feed.kind, participant=feed.participant, user=feed.user, room=feed.room
    )
