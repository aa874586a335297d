"""My progress (/me/progress/): the participant's own check-in scores, hours, practice and
plan goals, in plain language (docs/portal.md, "My progress").

Like the home's cards, each section is a function of the participant's opened record that
returns its template's context, listed with the app it reads: a section appears when its app
is installed. Each reads through its app's queries (never a model manager): the scores
through `measures.queries.own_trajectories` (totals only, never an answer: item 9 is never
read), the hours through `scheduling.hours.weeks_hours`, the practice through
`practice.queries.adherence.own_practice`, the goals through `plans.queries.own_plan_goals`.
Every section reads a fixed number of queries whatever the length of the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from trellis.portal.cards import Card, Context

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from trellis.measures.queries import OwnTrajectory

HOURS_WEEKS = 6  # this week and the five before it

# What each instrument measures, in plain words (the instruments' own titles are clinical).
TOPICS: dict[str, _StrPromise] = {
    "PHQ-9": gettext_lazy("low mood (depression)"),
    "GAD-7": gettext_lazy("anxiety"),
}

# What a severity band means in plain words, by the band's code in the instrument registry
# (measures/instruments/*.json). The bands' ranges and labels come from the registry; these
# sentences only say them in everyday language. A band without a sentence shows its label.
BAND_WORDS: dict[str, _StrPromise] = {
    "minimal": gettext_lazy("Few or no signs of %(topic)s in the two weeks before that check-in."),
    "mild": gettext_lazy("Some signs of %(topic)s in the two weeks before that check-in."),
    "moderate": gettext_lazy(
        "A moderate amount of %(topic)s in the two weeks before that check-in."
    ),
    "moderately-severe": gettext_lazy("A lot of %(topic)s in the two weeks before that check-in."),
    "severe": gettext_lazy("A severe amount of %(topic)s in the two weeks before that check-in."),
}

# The bands' labels in the page's language, by code (the registry's labels are English).
BAND_LABELS: dict[str, _StrPromise] = {
    "minimal": gettext_lazy("Minimal"),
    "mild": gettext_lazy("Mild"),
    "moderate": gettext_lazy("Moderate"),
    "moderately-severe": gettext_lazy("Moderately severe"),
    "severe": gettext_lazy("Severe"),
}


def _band_label(code: str, label: str) -> str:
    return str(BAND_LABELS.get(code, label))


@dataclass
class ScoreRow:
    on: date
    total: int
    band: str
    incomplete: bool


@dataclass
class Measure:
    code: str
    title: str
    trajectory: OwnTrajectory
    rows: list[ScoreRow]  # newest first, for the table
    latest_text: str
    band_text: str
    change_text: str
    scale_text: str


def _change_text(t: OwnTrajectory) -> str:
    first, latest = t.first, t.latest
    if first is None or latest is None:
        return ""
    if len(t.points) == 1:
        return _("This is your first score. Your next check-ins will show how it changes.")
    delta = latest.total - first.total
    words = {"n": abs(delta), "date": date_format(first.on, "DATE_FORMAT")}
    if delta < 0:
        text = ngettext(
            "%(n)s point lower than your first score (%(date)s).",
            "%(n)s points lower than your first score (%(date)s).",
            abs(delta),
        )
    elif delta > 0:
        text = ngettext(
            "%(n)s point higher than your first score (%(date)s).",
            "%(n)s points higher than your first score (%(date)s).",
            delta,
        )
    else:
        text = _("The same as your first score (%(date)s).")
    text %= words
    if t.change.reliable_improvement:
        text += " " + _("That is a clear improvement, more than everyday ups and downs.")
    elif t.change.reliable_deterioration:
        text += " " + _(
            "That is a clear rise. Your care team sees your scores too: talk it over with them."
        )
    return text


def _measure(t: OwnTrajectory) -> Measure:
    from trellis.measures.translations import localized_short_title

    instrument = t.instrument
    topic = TOPICS.get(instrument.code, instrument.short_title)
    latest, band = t.latest, t.latest_band
    latest_text = band_text = ""
    if latest is not None and band is not None:
        latest_text = _(
            "Your latest score, on %(date)s: %(total)s out of %(high)s (%(band)s, %(low)s to "
            "%(top)s)."
        ) % {
            "date": date_format(latest.on, "DATE_FORMAT"),
            "total": latest.total,
            "high": instrument.high,
            "band": _band_label(band.code, band.label).lower(),
            "low": band.low,
            "top": band.high,
        }
        words = BAND_WORDS.get(band.code)
        band_text = (
            str(words) % {"topic": topic}
            if words is not None
            else _band_label(band.code, band.label)
        )
    rows = [
        ScoreRow(p.on, p.total, _band_label(b.code, b.label), p.incomplete)
        for p in reversed(t.points)
        for b in [instrument.band_for(p.total)]
    ]
    return Measure(
        code=instrument.code,
        title=localized_short_title(instrument, get_language()),
        trajectory=t,
        rows=rows,
        latest_text=latest_text,
        band_text=band_text,
        change_text=_change_text(t),
        scale_text=_("Scores go from %(low)s to %(high)s: lower means fewer signs of %(topic)s.")
        % {"low": instrument.low, "high": instrument.high, "topic": topic},
    )


def measures_section(ctx: Context) -> dict[str, Any] | None:
    from trellis.measures.queries import own_trajectories

    return {"measures": [_measure(t) for t in own_trajectories(ctx.access)]}


@dataclass
class HoursRow:
    monday: date
    label: str
    attended: Decimal
    scheduled: Decimal
    min_hours: Decimal
    max_hours: Decimal
    band: str  # "below" / "within" / "above" the plan, by attended hours; "" not judged
    current: bool  # this week: not over yet
    still_to_come: Decimal

    @property
    def meter_max(self) -> Decimal:
        return max(self.max_hours, self.attended, Decimal(1))


def hours_section(ctx: Context) -> dict[str, Any] | None:
    from trellis.scheduling.hours import hours, weeks_hours

    episode = ctx.episode
    if episode is None or not episode.is_open:
        return {"hours": [], "plan": None}
    this_monday = ctx.today - timedelta(days=ctx.today.weekday())
    admitted = episode.admitted_on or ctx.today
    first = min(
        this_monday,
        max(
            this_monday - timedelta(weeks=HOURS_WEEKS - 1),
            admitted - timedelta(days=admitted.weekday()),
        ),
    )
    weeks = (this_monday - first).days // 7 + 1
    entries = weeks_hours([episode], first, weeks)[episode.pk]
    rows = []
    for entry in reversed(entries):
        current = entry.week_start == this_monday
        # A week the person was not in the program throughout (admitted, on hold or back
        # part-way) is not judged against the weekly range, as the staff flags do not.
        whole = episode.in_program_throughout(entry.week_start, entry.week_start + timedelta(6))
        if current:
            label = _("This week (so far)")
        elif entry.week_start == this_monday - timedelta(weeks=1):
            label = _("Last week")
        else:
            label = _("Week of %(date)s") % {"date": date_format(entry.week_start, "M j")}
        rows.append(
            HoursRow(
                monday=entry.week_start,
                label=label,
                attended=entry.attended,
                scheduled=entry.scheduled,
                min_hours=entry.min_hours,
                max_hours=entry.max_hours,
                band=entry.attended_band if whole else "",
                current=current,
                still_to_come=hours(entry.remaining_minutes),
            )
        )
    if not any(r.scheduled or r.attended for r in rows):
        rows = []
    latest = entries[-1]
    return {
        "hours": rows,
        "plan": (latest.min_hours, latest.max_hours),
    }


def practice_section(ctx: Context) -> dict[str, Any] | None:
    from trellis.practice.queries.adherence import own_practice

    practice = own_practice(ctx.access, ctx.today)
    admitted = ctx.episode.admitted_on if ctx.episode is not None else None
    if admitted is not None:
        # The weeks of this stay only: nothing was due before admission.
        start = admitted - timedelta(days=admitted.weekday())
        practice.weeks = [w for w in practice.weeks if w.monday >= start]
    return {"practice": practice}


def goals_section(ctx: Context) -> dict[str, Any] | None:
    from trellis.plans.queries import own_plan_goals

    return {"plan": own_plan_goals(ctx.episode)}


# In the order the page shows them; built like the home's cards (`cards.build_cards`).
SECTIONS: tuple[Card, ...] = (
    Card("measures", "measures", "portal/progress/measures.html", measures_section),
    Card("hours", "scheduling", "portal/progress/hours.html", hours_section),
    Card("practice", "practice", "portal/progress/practice.html", practice_section),
    Card("goals", "plans", "portal/progress/goals.html", goals_section),
)
