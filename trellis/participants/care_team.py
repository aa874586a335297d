"""The chart's Care team tab: who may manage a care team, the staff who may join it, and the
forms of the page. Writes go through the care-team actions in participants/actions/team.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django import forms
from django.db.models import Prefetch

from trellis.accounts.models import Credential, User
from trellis.lib.ids import parse_public_id
from trellis.participants.models import CareTeamMember, Episode
from trellis.programs.models import ClinicianKind, Membership, Role

if TYPE_CHECKING:
    from trellis.privacy.access import ParticipantAccess


def can_manage_care_team(access: ParticipantAccess, episode: Episode) -> bool:
    """Directors of the program and the episode's own care team manage it; an intake
    coordinator sets it up while the episode has none (the only time they see the chart).
    A participant never manages their own team; front desk never sees it (scope)."""
    return not access.is_own_record and access.is_clinical_for(episode)


def eligible_staff(episode: Episode) -> list[User]:
    """Clinicians and directors of the episode's organization, with their credentials."""
    today = episode.program.organization.today()
    user_ids = (
        Membership.objects.active()
        .filter(organization_id=episode.program.organization_id)
        .filter(role__in=[Role.CLINICIAN, Role.PROGRAM_DIRECTOR])
        .values("user_id")
    )
    return list(
        User.objects.filter(pk__in=user_ids, is_active=True)
        .prefetch_related(
            Prefetch(
                "credentials",
                queryset=Credential.objects.exclude(expires_on__lt=today),
                to_attr="current_credentials",
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class TeamRows:
    current: list[CareTeamMember]
    past: list[CareTeamMember]


def team_rows(episode: Episode) -> TeamRows:
    """Everyone who is or was on the team, with credentials, in two fixed queries."""
    today = episode.program.organization.today()
    members = list(
        CareTeamMember.objects.filter(episode=episode)
        .select_related("user")
        .prefetch_related("user__credentials")
        .order_by("-is_primary", "role", "start_date", "pk")
    )
    for member in members:
        for credential in member.user.credentials.all():
            credential.lapsed = credential.is_expired(today)  # type: ignore[attr-defined]  # for the template
    current = [m for m in members if m.end_date is None or m.end_date >= today]
    past = [m for m in members if m.end_date is not None and m.end_date < today]
    return TeamRows(current=current, past=past)


def member_key(membership: CareTeamMember) -> str:
    """How a form names a membership without its integer key: the member's public id and role
    (one person holds a role on one team at most once at a time)."""
    return f"{membership.user.public_id}:{membership.role}"


def find_member(episode: Episode, key: str) -> CareTeamMember | None:
    user_id, _, role = key.partition(":")
    parsed = parse_public_id(user_id)
    if parsed is None:
        return None
    return (
        CareTeamMember.objects.filter(episode=episode, user__public_id=parsed, role=role)
        .filter(end_date__isnull=True)
        .select_related("user", "episode__participant")
        .first()
    )


class DateInput(forms.DateInput):
    input_type = "date"


class AddMemberForm(forms.Form):
    member = forms.TypedChoiceField(label="Staff member", choices=[])
    role = forms.ChoiceField(label="Role on the team", choices=ClinicianKind.choices)
    is_primary = forms.BooleanField(
        label="Primary clinician (replaces the current primary)", required=False
    )
    start_date = forms.DateField(label="Starts", widget=DateInput)

    def __init__(self, staff: list[User], today: date, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's loose signature
        self.staff = {str(u.public_id): u for u in staff}
        self.fields["member"].choices = [("", "Choose…")] + [  # type: ignore[attr-defined]
            (key, _staff_label(user)) for key, user in self.staff.items()
        ]
        self.fields["start_date"].initial = today

    def chosen_user(self) -> User:
        return self.staff[self.cleaned_data["member"]]


def _staff_label(user: User) -> str:
    kinds = ", ".join(c.kind for c in getattr(user, "current_credentials", []))
    return f"{user.name}, {kinds}" if kinds else user.name


class EndMemberForm(forms.Form):
    end_date = forms.DateField(label="Last day on the team", widget=DateInput)


def default_end_date(episode: Episode) -> date:
    """Today in the episode's organization: the usual last day on the team."""
    return episode.program.organization.today()
