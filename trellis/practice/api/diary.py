"""The practice API: the diary part, under /api/v1/practice/ (docs/practice.md).

- GET  /participants/{public_id}/diary-cards?since=&until=  the current episode's cards
  (at most 92 days; values are decrypted for readers who see the episode clinically).
- POST /participants/{public_id}/diary-cards  one day's card; `Idempotency-Key` header (or
  `idempotency_key`) makes a retry return the first card; 422 names the refused field.

Both go through `access_diary`: the care team and the program's directors (the API is for
staff; participants write their card on /me/practice/diary/). A card the care team enters
(given on paper) raises the same risk alerts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from trellis.accounts.api import acting_user
from trellis.audit.models import Action, Purpose
from trellis.lib.api import error_responses
from trellis.practice.access import DiaryAccess, access_diary
from trellis.practice.actions.diary import check_submit_diary_card, episode_today
from trellis.practice.models.diary import DiaryCard
from trellis.practice.queries.diary import diary_cards

router = Router()

MAX_DAYS = 92


class DiaryCardIn(Schema):
    card_on: date = Field(description="The organization's date the card describes")
    answers: dict[str, Any] = Field(
        description="Row key → value: 0–5 for urges and emotions, 0–7 for skills, "
        '"yes"/"no" (or true/false) for actions with `<key>_amount`, text for the note row. '
        "A row left out is missing, not zero."
    )
    idempotency_key: str | None = Field(default=None, max_length=64)


class DiaryCardOut(Schema):
    public_id: UUID
    card_on: date
    late_entered: bool
    risk_raised: bool
    values: dict[str, Any]
    note: str
    created: bool = True


def _out(card: DiaryCard, *, created: bool = True) -> DiaryCardOut:
    return DiaryCardOut(
        public_id=card.public_id,
        card_on=card.card_on,
        late_entered=card.late_entered,
        risk_raised=card.risk_raised,
        values=card.values,
        note=card.note,
        created=created,
    )


def _purpose(user: Any, public_id: str) -> str:
    participant = getattr(user, "participant", None)
    own = participant is not None and str(participant.public_id) == str(public_id)
    return Purpose.PATRQT if own else Purpose.TREAT


@router.get(
    "/participants/{public_id}/diary-cards",
    response={200: list[DiaryCardOut], **error_responses(401, 403, 404, 422)},
)
def list_diary_cards(
    request: HttpRequest, public_id: str, since: date | None = None, until: date | None = None
) -> list[DiaryCardOut]:
    """The current episode's cards from `since` to `until` (default: the last 28 days)."""
    user = acting_user(request)
    diary: DiaryAccess = access_diary(
        user, public_id, purpose=_purpose(user, public_id), action=Action.LIST
    )
    until = until or episode_today(diary.episode)
    since = since or until - timedelta(days=27)
    if since > until:
        raise ValidationError({"since": "since must be on or before until."})
    if (until - since).days >= MAX_DAYS:
        raise ValidationError({"since": f"Ask for at most {MAX_DAYS} days at a time."})
    return [_out(card) for card in diary_cards(diary, since, until)]


@router.post(
    "/participants/{public_id}/diary-cards",
    response={200: DiaryCardOut, 201: DiaryCardOut, **error_responses(401, 403, 404, 422)},
)
def submit_diary_card(
    request: HttpRequest, public_id: str, payload: DiaryCardIn
) -> Status[DiaryCardOut]:
    """Store one day's card (201), or return the day's first card for a retry (200)."""
    user = acting_user(request)
    diary = access_diary(user, public_id, purpose=_purpose(user, public_id), action=Action.CREATE)
    key = request.headers.get("Idempotency-Key") or payload.idempotency_key
    result = check_submit_diary_card(
        user, diary, card_on=payload.card_on, answers=payload.answers, idempotency_key=key
    )
    return Status(201 if result.created else 200, _out(result.card, created=result.created))
