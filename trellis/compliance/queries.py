"""Reads of the audit trail for the compliance report and its CSV export."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy

from trellis.accounts.models import User
from trellis.audit.models import Event
from trellis.programs.models import Membership

# The report's ?sort= names and the columns they order by. Only these reach order_by().
SORT_FIELDS: dict[str, str] = {
    "time": "occurred_at",
    "actor": "actor_label",
    "role": "role",
    "action": "action",
    "participant": "participant__mrn",
    "object_type": "object_type",
    "object_id": "object_id",
    "outcome": "outcome",
    "purpose": "purpose",
    "client_addr": "client_addr",
}
DEFAULT_SORT = "-time"


@dataclass(frozen=True)
class Viewer:
    """Where a compliance officer stands: the organizations they belong to and the time zone
    they read times in."""

    organization_ids: frozenset[int]
    zone: zoneinfo.ZoneInfo


@dataclass(frozen=True)
class AuditFilters:
    date_from: date | None = None  # local dates in the viewer's zone, both ends included
    date_to: date | None = None
    username: str = ""
    mrn: str = ""
    action: str = ""
    outcome: str = ""
    sort: str = DEFAULT_SORT

    def as_detail(self) -> dict[str, str]:
        """The filters as recorded in the audit event (identifiers and codes only)."""
        return {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "user": self.username,
            "mrn": self.mrn,
            "action": self.action,
            "outcome": self.outcome,
            "sort": self.sort,
        }


def viewer_of(user: User) -> Viewer:
    """The organizations of the user's active memberships; times are shown in the zone of the
    first one (UTC if there is none)."""
    rows = list(
        Membership.objects.active()
        .filter(user=user)
        .order_by("organization_id")
        .values_list("organization_id", "organization__time_zone")
        .distinct()
    )
    zone = zoneinfo.ZoneInfo(rows[0][1]) if rows else zoneinfo.ZoneInfo("UTC")
    return Viewer(organization_ids=frozenset(org_id for org_id, _ in rows), zone=zone)


@dataclass(frozen=True)
class StaffChoice:
    username: str
    name: str


def staff_choices(viewer: Viewer) -> list[StaffChoice]:
    """Everyone who holds or held a role in the viewer's organizations, for the user filter:
    a person who left still appears in the trail."""
    users = (
        User.objects.filter(memberships__organization_id__in=viewer.organization_ids)
        .distinct()
        .order_by("username")
    )
    return [StaffChoice(username=u.username, name=u.name) for u in users]


def _start_of(day: date, zone: zoneinfo.ZoneInfo) -> datetime:
    # Midnight local, converted to UTC: a day in Chicago is not a UTC day, and a DST change
    # makes some days 23 or 25 hours long.
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def audit_events(viewer: Viewer, filters: AuditFilters) -> QuerySet[Event]:
    """Events matching the filters, sorted, with actor and participant joined in.

    Events about a participant of an organization the viewer does not belong to are left
    out: the report shows names and MRNs, and an officer of one organization has no business
    with another's participants. Events without a participant (sign-ins, settings) are shown.
    """
    events = Event.objects.select_related("actor", "participant").filter(
        Q(participant__isnull=True) | Q(participant__organization_id__in=viewer.organization_ids)
    )
    if filters.date_from:
        events = events.filter(occurred_at__gte=_start_of(filters.date_from, viewer.zone))
    if filters.date_to:
        next_day = filters.date_to + timedelta(days=1)
        events = events.filter(occurred_at__lt=_start_of(next_day, viewer.zone))
    if filters.username:
        events = events.filter(
            Q(actor__username__iexact=filters.username) | Q(actor_label__iexact=filters.username)
        )
    if filters.mrn:
        # MRNs are unique in an organization ignoring case (participants.actions): typed in
        # any case, one finds the person.
        events = events.filter(
            participant__mrn__iexact=filters.mrn,
            participant__organization_id__in=viewer.organization_ids,
        )
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    return events.order_by(*ordering_for(filters.sort))


def ordering_for(sort: str) -> list[OrderBy]:
    """order_by() arguments for a whitelisted sort name.

    Empty values (no participant, no address) go last either way, on SQLite as on PostgreSQL
    (their defaults differ). The event id breaks ties so pages never repeat or skip a row.
    """
    column = SORT_FIELDS.get(sort.removeprefix("-"))
    if column is None:
        return ordering_for(DEFAULT_SORT)
    if sort.startswith("-"):
        return [F(column).desc(nulls_last=True), F("id").desc()]
    return [F(column).asc(nulls_last=True), F("id").asc()]
