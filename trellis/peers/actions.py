"""Every write to the peer space: join (display name and rules), post, reply, report, and the
moderators' approve / hide / restore. Atomic and audited; audit details carry ids and codes
only, never the words of a post.

A post that mentions self-harm (`peers.screening`) raises, in the same transaction, one urgent
worklist item for the program's moderators that says only that a post needs a moderator's look
(docs/portal.md, "Peer space").
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record
from trellis.lib.text import DIRECTION_CONTROLS
from trellis.peers.models import (
    RULES_VERSION,
    Moderation,
    ModerationKind,
    Post,
    PostStatus,
    Profile,
    Report,
    ReportReason,
)
from trellis.peers.queries import Board, moderators_of, premoderated
from trellis.peers.screening import mentions_self_harm
from trellis.worklist.actions import do_raise_alert
from trellis.worklist.models import Alert, AlertKind, AlertRecipient, Priority, RecipientReason

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Participant
    from trellis.programs.models import Program

MAX_POST = 2_000
MAX_NAME = 30
MIN_NAME = 2
MAX_REASON = 500
ALERT_TITLE = "Peer space: a post needs a moderator's look"
ALERT_DETAIL = "Open the peer space's moderation queue and read the post there."
SOURCE = "peers.post"
NAME_CHARACTERS = re.compile(r"^[\w .'\-]+$")


def _errors(exc: ValidationError) -> dict[str, str]:
    return {k: " ".join(v) for k, v in exc.message_dict.items()}


def _has_controls(text: str, allowed: frozenset[str] = frozenset("\n\t")) -> bool:
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in DIRECTION_CONTROLS
        for ch in text
    )


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def name_key(program: Program, name: str) -> str:
    """A keyed digest of the folded name, unique per program: "Sam J", "sam  j" and "Sám J"
    are one name. The key is the site's secret, so the digest says nothing without it."""
    message = f"peers:{program.pk}:{_fold(name)}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def is_legal_name(participant: Participant, name: str) -> bool:
    folded = _fold(name)
    given = _fold(participant.given_name)
    family = _fold(participant.family_name)
    preferred = _fold(participant.preferred_name)
    legal = {f"{given} {family}", f"{family} {given}", f"{family}, {given}"}
    if preferred:
        legal.add(f"{preferred} {family}")
    return folded in legal


# --- joining: a display name and the community rules ---


@dataclass
class Joining:
    display_name: str
    accept_rules: bool
    use_legal_name: bool = False


def clean_display_name(participant: Participant, program: Program, data: Joining) -> str:
    name = " ".join(data.display_name.split())
    if not name:
        raise ValidationError({"display_name": _("Choose a display name.")})
    if len(name) < MIN_NAME or len(name) > MAX_NAME:
        raise ValidationError(
            {
                "display_name": _("A display name has %(min)s to %(max)s characters.")
                % {"min": MIN_NAME, "max": MAX_NAME}
            }
        )
    if _has_controls(name, frozenset()) or not NAME_CHARACTERS.match(name):
        raise ValidationError(
            {"display_name": _("Use letters, numbers, spaces, dots, dashes and apostrophes only.")}
        )
    if is_legal_name(participant, name) and not data.use_legal_name:
        raise ValidationError(
            {
                "display_name": _(
                    "This is your full name as your program has it. Other members will see "
                    "it. Choose another name, or tick the box to use it anyway."
                )
            }
        )
    return name


def check_join(participant: Participant, user: User | None, board: Board, data: Joining) -> Profile:
    """Choose a display name and accept the rules (first visit), or accept new rules."""
    existing = Profile.objects.filter(participant=participant, program=board.program).first()
    errors: dict[str, str] = {}
    name = ""
    if existing is None:
        try:
            name = clean_display_name(participant, board.program, data)
        except ValidationError as exc:
            errors |= _errors(exc)
        else:
            taken = Profile.objects.filter(
                program=board.program, name_key=name_key(board.program, name)
            ).exists()
            if taken:
                errors["display_name"] = _(
                    "Someone in your program uses this name. Choose another."
                )
    if not data.accept_rules:
        errors["accept_rules"] = _("Accept the community rules to join.")
    if errors:
        raise ValidationError(errors)
    return do_join(participant, user, board, name, existing)


@transaction.atomic
def do_join(
    participant: Participant, user: User | None, board: Board, name: str, existing: Profile | None
) -> Profile:
    now = timezone.now()
    if existing is not None:
        existing.rules_version = RULES_VERSION
        existing.rules_accepted_at = now
        existing.save(update_fields=["rules_version", "rules_accepted_at"])
        profile = existing
        action = Action.UPDATE
    else:
        try:
            with transaction.atomic():
                profile = Profile.objects.create(
                    participant=participant,
                    program=board.program,
                    display_name=name,
                    name_key=name_key(board.program, name),
                    rules_version=RULES_VERSION,
                    rules_accepted_at=now,
                )
        except IntegrityError:
            raise ValidationError(
                {"display_name": _("Someone in your program uses this name. Choose another.")}
            ) from None
        action = Action.CREATE
    record(
        user,
        action,
        participant=participant,
        obj=profile,
        purpose=Purpose.PATRQT,
        role="participant",
        detail={"rules_version": RULES_VERSION},
    )
    return profile


# --- posting ---


def clean_body(body: str) -> str:
    """Plain text: line breaks normalized, blanks trimmed; HTML kept as typed and always shown
    escaped. A clear error naming `body` for empty, too long or unprintable text."""
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError({"body": _("Write something first.")})
    if len(text) > MAX_POST:
        raise ValidationError(
            {
                "body": _("Keep a post under %(max)s characters (this one has %(n)s).")
                % {"max": f"{MAX_POST:,}", "n": f"{len(text):,}"}
            }
        )
    if _has_controls(text):
        raise ValidationError({"body": _("Remove the control or text-direction characters.")})
    return text


@dataclass
class NewPost:
    body: str
    idempotency_key: str = ""


def check_post(
    user: User, profile: Profile, board: Board, data: NewPost, *, parent: Post | None = None
) -> tuple[Post, bool]:
    """Write a post (or a reply to `parent`, a visible post of the same board). Returns the
    post and whether it was new (False: a double submit found the first)."""
    key = data.idempotency_key.strip()[:64] or None
    if key is not None:
        resent = Post.objects.filter(idempotency_key=key, author=profile).first()
        if resent is not None:
            return resent, False
    body = clean_body(data.body)
    if profile.rules_version < RULES_VERSION:
        raise ValidationError({"body": _("Accept the new community rules first.")})
    if parent is not None and (
        parent.parent_id is not None
        or parent.status != PostStatus.VISIBLE
        or (parent.program_id, parent.track_id) != board.key
    ):
        raise ValidationError({"body": _("You can no longer reply to this post.")})
    return do_post(user, profile, board, body, key, parent), True


@transaction.atomic
def do_post(
    user: User | None,
    profile: Profile,
    board: Board,
    body: str,
    key: str | None,
    parent: Post | None = None,
) -> Post:
    waits = premoderated(board.program)
    self_harm = mentions_self_harm(body)
    post = Post.objects.create(
        program=board.program,
        track=board.track,
        participant=profile.participant,
        author=profile,
        parent=parent,
        body=body,
        # A post about self-harm waits for a moderator whatever the program's setting: the
        # author is answered at once (the crisis line), the other members read it only once
        # a moderator has (safe-messaging practice for peer boards; docs/portal.md).
        status=PostStatus.PENDING if waits or self_harm else PostStatus.VISIBLE,
        needs_review=waits or self_harm,
        mentions_self_harm=self_harm,
        idempotency_key=key,
    )
    record(
        user,
        Action.CREATE,
        participant=profile.participant,
        obj=post,
        purpose=Purpose.PATRQT,
        role="participant",
        detail={"reply": parent is not None, "status": post.status, "self_harm": self_harm},
    )
    if self_harm:
        raise_moderator_alert(post, board)
    return post


def raise_moderator_alert(post: Post, board: Board) -> Alert:
    """One urgent worklist item per author, program and day (the program's organization's
    day): a second post that day is already at the top of the queue, under the same item. For
    every moderator of the program (the first owns it) and whoever takes the program's urgent
    alerts now. It names the first post only by its id: no words of it, nothing clinical."""
    moderators = moderators_of(board.program)
    today = board.program.organization.today()
    alert = do_raise_alert(
        None,
        participant=post.participant,
        episode=board.episode,
        kind=AlertKind.TASK,
        priority=Priority.URGENT,
        title=ALERT_TITLE,
        detail=ALERT_DETAIL,
        source=f"{SOURCE}:{post.public_id}",
        dedupe_key=f"peers:self-harm:{post.participant.public_id}:{board.program.public_id}:{today.isoformat()}",
        notify_on_call=True,
        owner=moderators[0] if moderators else None,
    )
    for moderator in moderators[1:]:
        AlertRecipient.objects.get_or_create(
            alert=alert, user=moderator, defaults={"reason": RecipientReason.CARE_TEAM}
        )
    return alert


# --- reporting ---


@dataclass
class NewReport:
    reason: str
    note: str = ""


def check_report(user: User, profile: Profile, post: Post, data: NewReport) -> Report:
    errors: dict[str, str] = {}
    if data.reason not in ReportReason.values:
        errors["reason"] = _("Choose why you are reporting this post.")
    note = data.note.strip()
    if len(note) > MAX_REASON:
        errors["note"] = _("Keep the note under %(max)s characters.") % {"max": MAX_REASON}
    elif _has_controls(note):
        errors["note"] = _("Remove the control or text-direction characters.")
    if post.author_id == profile.pk:
        errors["__all__"] = _("You cannot report your own post.")
    if errors:
        raise ValidationError(errors)
    existing = Report.objects.filter(post=post, reporter=profile).first()
    if existing is not None:
        return existing
    return do_report(user, profile, post, data.reason, note)


@transaction.atomic
def do_report(user: User | None, profile: Profile, post: Post, reason: str, note: str) -> Report:
    report = Report.objects.create(
        post=post, reporter=profile, participant=profile.participant, reason=reason, note=note
    )
    Post.objects.filter(pk=post.pk).update(needs_review=True)
    record(
        user,
        Action.CREATE,
        participant=profile.participant,
        obj=report,
        object_type="peers.report",
        object_id=str(post.public_id),
        purpose=Purpose.PATRQT,
        role="participant",
        detail={"reason": reason, "post": str(post.public_id)},
    )
    return report


# --- moderating ---


def check_moderate(moderator: User, post: Post, kind: str, reason: str) -> Post:
    """Approve (keep or make visible), hide (a reason is required) or restore (a reason is
    required). Every action closes the post's open reports and takes it off the queue."""
    reason = reason.strip()
    errors: dict[str, str] = {}
    if kind not in ModerationKind.values:
        errors["kind"] = "Choose what to do with the post."
    elif kind in {ModerationKind.HIDE, ModerationKind.RESTORE} and not reason:
        errors["reason"] = "Say why: members whose post is hidden can ask, and the team reads it."
    elif kind == ModerationKind.RESTORE and post.status != PostStatus.HIDDEN:
        errors["kind"] = "Only a hidden post can be restored."
    elif kind == ModerationKind.HIDE and post.status == PostStatus.HIDDEN:
        errors["kind"] = "This post is already hidden."
    elif kind == ModerationKind.APPROVE and post.status == PostStatus.HIDDEN:
        errors["kind"] = "This post is hidden: restore it, with a reason, to show it again."
    if len(reason) > MAX_REASON:
        errors["reason"] = f"Keep the reason under {MAX_REASON} characters."
    if errors:
        raise ValidationError(errors)
    return do_moderate(moderator, post, kind, reason)


@transaction.atomic
def do_moderate(moderator: User, post: Post, kind: str, reason: str) -> Post:
    now = timezone.now()
    status = PostStatus.HIDDEN if kind == ModerationKind.HIDE else PostStatus.VISIBLE
    Post.objects.filter(pk=post.pk).update(status=status, needs_review=False)
    Report.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now)
    moderation = Moderation.objects.create(
        post=post,
        participant=post.participant,
        kind=kind,
        reason=reason,
        moderator=moderator,
        created_at=now,
    )
    record(
        moderator,
        Action.UPDATE,
        participant=post.participant,
        obj=post,
        purpose=Purpose.HOPERAT,
        role="moderator",
        detail={"moderation": kind, "moderation_id": moderation.pk},
    )
    post.refresh_from_db()
    return post
