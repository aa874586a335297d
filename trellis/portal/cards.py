"""The home's cards: each one a small read through its app's queries and access functions.

A card is a function of the participant's opened record (`ParticipantAccess`, already
audited by the home) that returns its template's context, or None when the card has nothing
to say at all (a program without diary cards). A card is listed with the app it reads: the
home builds only the cards whose app is installed, so a section appears when its app exists
(docs/portal.md). Every card reads a bounded window (this week, the next two weeks, the
current episode): a fixed number of queries whatever the length of the history.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trellis.lib.clock import local_today

if TYPE_CHECKING:
    from trellis.accounts.models import User
    from trellis.participants.models import Episode
    from trellis.privacy.access import ParticipantAccess

SESSION_DAYS = 14  # the next sessions card looks two weeks ahead
SESSIONS_SHOWN = 3
SECONDS_PER_ITEM = 10  # "about how many minutes" a check-in takes: ten seconds an answer
GOALS_SHOWN = 3
EVENING = time(17, 0)  # a session starting from 5 pm today is "Tonight"


@dataclass
class Context:
    """What every card may use: the user, their opened record and the program's day."""

    user: User
    access: ParticipantAccess
    episode: Episode | None
    today: date

    @property
    def open_episodes(self) -> list[Episode]:
        return [e for e in self.access.episodes if e.is_open]


@dataclass(frozen=True)
class Card:
    key: str
    app: str  # the app label the card reads; absent app, absent card
    template: str
    build: Callable[[Context], dict[str, Any] | None]


@dataclass
class Session:
    day_label: str
    starts: time
    ends: time
    name: str
    place: str
    join_url: str
    hybrid: bool
    cancelled: bool
    today: bool
    series_id: str = ""
    original_date: date | None = None
    notice: Any = None  # the participant's SessionNotice for it, if they sent one


@dataclass
class PracticeRow:
    name: str
    done: int
    required: int
    public_id: str

    @property
    def label(self) -> str:
        # "DEAR MAN, 1 of 3 this week"
        return _("%(name)s, %(done)s of %(required)s this week") % {
            "name": self.name,
            "done": self.done,
            "required": self.required,
        }


@dataclass
class CheckinRow:
    code: str  # "PHQ-9": the summary line
    title: str  # "Depression (PHQ-9)": the button
    public_id: str


@dataclass
class Checkins:
    rows: list[CheckinRow] = field(default_factory=list)
    minutes: int = 0

    @property
    def titles(self) -> str:
        names = [r.code for r in self.rows]
        if len(names) <= 1:
            return "".join(names)
        return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}

    @property
    def minutes_label(self) -> str:
        return ngettext("about %(n)s minute", "about %(n)s minutes", self.minutes) % {
            "n": self.minutes
        }


def _day_label(day: date, starts: time, today: date) -> str:
    if day == today:
        return _("Tonight") if starts >= EVENING else _("Today")
    if day == today + timedelta(days=1):
        return _("Tomorrow")
    return ""  # the template writes the date


def sessions_card(ctx: Context) -> dict[str, Any] | None:
    from trellis.scheduling.models import LATE_CHOICES
    from trellis.scheduling.queries import (
        notices_for_episodes,
        occurrences_between,
        participant_feeds,
        roster_for,
        series_for_episodes,
    )

    ids = [e.pk for e in ctx.open_episodes]
    zone = ctx.access.participant.organization.tz
    start, end = ctx.today, ctx.today + timedelta(days=SESSION_DAYS)
    sessions: list[tuple[date, Session]] = []
    if ids:
        slots = occurrences_between(series_for_episodes(ids, start, end), start, end)
        roster = roster_for({s.series.pk for s in slots}, start, end, ids, with_people=False)
        now = timezone.now()
        originals = [s.original_date for s in slots]
        notices = notices_for_episodes(ids, min(originals), max(originals)) if originals else {}
        for slot in slots:
            if slot.ends_at < now or not any(
                m.active_on(slot.date) for m in roster.get(slot.series.pk, [])
            ):
                continue
            starts = timezone.localtime(slot.starts_at, zone)
            ends = timezone.localtime(slot.ends_at, zone)
            session = Session(
                day_label=_day_label(starts.date(), starts.time(), ctx.today),
                starts=starts.time(),
                ends=ends.time(),
                name=slot.series.name,
                place=slot.place,
                join_url=slot.join_url,
                hybrid=slot.hybrid,
                cancelled=slot.cancelled,
                today=starts.date() == ctx.today,
                series_id=str(slot.series.public_id),
                original_date=slot.original_date,
                notice=notices.get((slot.series.pk, slot.original_date)),
            )
            sessions.append((starts.date(), session))
    sessions.sort(key=lambda pair: (pair[0], pair[1].starts))
    return {
        "sessions": [(day, s) for day, s in sessions[:SESSIONS_SHOWN]],
        "has_feed": bool(participant_feeds(ctx.access.participant.pk)),
        "late_choices": LATE_CHOICES,
    }


def checkins_card(ctx: Context) -> dict[str, Any] | None:
    from trellis.measures.queries import own_open_checkins
    from trellis.measures.registry import get_instrument

    checkins = Checkins()
    items = 0
    for administration in own_open_checkins(ctx.access.participant):
        instrument = get_instrument(
            administration.instrument_code,
            administration.instrument_version,
            language=translation.get_language(),
        )
        checkins.rows.append(
            CheckinRow(instrument.code, instrument.short_title, str(administration.public_id))
        )
        items += len(instrument.items)
    checkins.minutes = max(1, math.ceil(items * SECONDS_PER_ITEM / 60)) if items else 0
    return {"checkins": checkins}


def practice_card(ctx: Context) -> dict[str, Any] | None:
    from trellis.practice import adherence as rules
    from trellis.practice.access import access_own_assignments
    from trellis.practice.queries.adherence import facts_for, week_of

    episode = ctx.episode
    if episode is None or not episode.is_open:
        return {"practice": []}
    first, last = week_of(ctx.today)
    facts = {f.key: f for f in facts_for([episode.pk], first=first, last=last)}
    rows = []
    # The participant's own list, audited as their list view; this week's open ones shown.
    for assignment in access_own_assignments(ctx.user, ctx.access.participant):
        found = facts.get(assignment.pk)
        if found is None or found.status == rules.EXCUSED:
            continue
        skill = assignment.skill
        # The skill's short name ("DEAR MAN") where it has one, else the assignment's title.
        name = (skill.acronym or skill.name) if skill is not None else assignment.title
        rows.append(
            PracticeRow(name, rules.done(found), rules.required(found), str(assignment.public_id))
        )
    rows.sort(key=lambda r: (r.done >= r.required, r.name))
    return {"practice": rows}


def diary_card(ctx: Context) -> dict[str, Any] | None:
    from trellis.practice.access import access_own_diary
    from trellis.practice.queries.diary import days_written

    try:
        diary = access_own_diary(ctx.user)
    except Http404:
        return None  # no open episode to write a card for
    if diary.config is None:
        return None  # the program does not use diary cards
    return {"diary_written": ctx.today in days_written(diary, [ctx.today])}


def safety_plan_card(ctx: Context) -> dict[str, Any] | None:
    from trellis.practice.access import access_own_safety_plan

    try:
        own = access_own_safety_plan(ctx.user)
    except Http404:
        return {"safety_plan": None}
    return {"safety_plan": own.plan}


def plan_card(ctx: Context) -> dict[str, Any] | None:
    from trellis.plans.content import load
    from trellis.plans.queries import latest_signed

    version = latest_signed(ctx.episode) if ctx.episode is not None else None
    goals = [g.words for g in load(version.content).goals if g.words] if version else []
    return {
        "plan_signed": version is not None,
        "goals": goals[:GOALS_SHOWN],
        "goal_count": len(goals),
    }


def messages_card(ctx: Context) -> dict[str, Any] | None:
    from trellis.messaging.queries import unread_count

    # The count only (no subject or text): the home is often open on a shared screen.
    episode = ctx.episode
    return {
        "unread": unread_count(ctx.user, ctx.access.participant),
        "can_write": episode is not None and episode.is_open,
    }


def progress_card(ctx: Context) -> dict[str, Any] | None:
    """A link to My progress (/me/progress/); it reads nothing, so the home stays as quick."""
    return {}


def peers_card(ctx: Context) -> dict[str, Any] | None:
    """A link to the peer space (/me/peers/); it reads nothing, so the home stays as quick
    (the peer space's own page says which boards the person is on)."""
    return {}


# In the order the home shows them. The crisis line is not a card: the page always shows it.
CARDS: tuple[Card, ...] = (
    Card("safety-plan", "practice", "portal/cards/safety_plan.html", safety_plan_card),
    Card("sessions", "scheduling", "portal/cards/sessions.html", sessions_card),
    Card("check-ins", "measures", "portal/cards/checkins.html", checkins_card),
    Card("practice", "practice", "portal/cards/practice.html", practice_card),
    Card("diary", "practice", "portal/cards/diary.html", diary_card),
    Card("plan", "plans", "portal/cards/plan.html", plan_card),
    Card("messages", "messaging", "portal/cards/messages.html", messages_card),
    Card("progress", "portal", "portal/cards/progress.html", progress_card),
    Card("peers", "peers", "portal/cards/peers.html", peers_card),
)


@dataclass
class Built:
    key: str
    template: str
    context: dict[str, Any]


def build_cards(
    user: User, access: ParticipantAccess, cards: tuple[Card, ...] = CARDS
) -> list[Built]:
    """Every card of an installed app that has something to show, in order (the home's
    cards, or another page's sections built the same way: My progress)."""
    episode = access.current_episode
    zone = access.participant.organization.tz
    ctx = Context(user=user, access=access, episode=episode, today=local_today(zone))
    built = []
    for card in cards:
        if not apps.is_installed(f"trellis.{card.app}"):
            continue
        context = card.build(ctx)
        if context is not None:
            built.append(Built(card.key, card.template, context))
    return built
