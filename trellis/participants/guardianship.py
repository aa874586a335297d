"""Guardians of adolescents (docs/portal.md, "Guardians"): who may be linked, what a program's
policy and an adolescent's consent grant, and the guardian's links. Queries only: the audited
entry points are in `participants.access` (`access_as_guardian`, `access_guardians_tab`,
`access_own_guardians`), the writes in `participants.actions.guardians`.

A link works (grants anything) only while the participant is under 18 on the organization's
date and has an open episode of an adolescent program; the same two conditions are checked
when a link is made. Kinds: `GuardianKind`; a kind is granted when the program's policy allows
it and, for `CONSENT_KINDS`, the adolescent's consent to this guardian is current."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from trellis.participants.models import (
    ADULT_AGE,
    CONSENT_KINDS,
    Episode,
    GuardianConsent,
    GuardianInvitation,
    GuardianKind,
    GuardianLink,
    GuardianPolicy,
    Invitation,
    Participant,
)
from trellis.programs.models import Population, Program

if TYPE_CHECKING:
    from trellis.accounts.models import User


def adolescent_episode(participant: Participant) -> Episode | None:
    """The participant's open episode of an adolescent program, if any."""
    return (
        Episode.objects.open()
        .filter(participant=participant, program__population=Population.ADOLESCENT)
        .select_related("program", "program__organization", "track")
        .order_by("-admitted_on", "-created_at")
        .first()
    )


def is_minor(participant: Participant, today: date) -> bool:
    return participant.age_on(today) < ADULT_AGE


def link_refusal(participant: Participant) -> str:
    """Why no guardian may be linked to this participant now ("" when one may)."""
    today = participant.organization.today()
    if not is_minor(participant, today):
        return _(
            "This participant is %(age)s years old: guardians can be linked only to "
            "participants under %(adult)s. Nothing was sent."
        ) % {"age": participant.age_on(today), "adult": ADULT_AGE}
    if adolescent_episode(participant) is None:
        return _(
            "Guardians can be linked only while the participant is in an open episode of an "
            "adolescent program. Nothing was sent."
        )
    return ""


def policy_for(program: Program) -> GuardianPolicy:
    """The program's guardian policy (an unsaved row with the defaults when none was set)."""
    policy = GuardianPolicy.objects.filter(program=program).first()
    return policy if policy is not None else GuardianPolicy(program=program)


def current_consents(link: GuardianLink) -> dict[str, GuardianConsent]:
    """The adolescent's current (not withdrawn) consents for this link, by kind."""
    rows = GuardianConsent.objects.filter(link=link, withdrawn_at__isnull=True).select_related(
        "recorded_by"
    )
    return {c.kind: c for c in rows}


def granted_kinds(
    policy: GuardianPolicy, consents: dict[str, GuardianConsent] | set[str]
) -> frozenset[str]:
    """What a guardian sees: the policy's kinds, and of `CONSENT_KINDS` only those the
    adolescent consented to."""
    return frozenset(
        kind
        for kind in GuardianKind.values
        if policy.allows(kind) and (kind not in CONSENT_KINDS or kind in consents)
    )


@dataclass(frozen=True)
class LinkView:
    """One link as the chart, the guardian and the adolescent see it."""

    link: GuardianLink
    episode: Episode | None  # the adolescent episode that makes the link work (None: it doesn't)
    policy: GuardianPolicy | None
    consents: dict[str, GuardianConsent]
    kinds: frozenset[str]

    @property
    def works(self) -> bool:
        return self.episode is not None

    @property
    def granted_text(self) -> str:
        """'upcoming sessions, attendance' (staff pages, English)."""
        return ", ".join(r.label.lower() for r in self.kind_rows if r.granted)

    @property
    def kind_rows(self) -> list[KindRow]:
        """Every kind: whether the policy allows it, needs consent, is granted."""
        return [
            KindRow(
                kind=value,
                label=str(label),
                allowed=self.policy is not None and self.policy.allows(value),
                needs_consent=value in CONSENT_KINDS,
                granted=value in self.kinds,
                consent=self.consents.get(value),
            )
            for value, label in GuardianKind.choices
        ]


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    allowed: bool
    needs_consent: bool
    granted: bool
    consent: GuardianConsent | None


def link_view(link: GuardianLink) -> LinkView:
    participant = link.participant
    episode = None
    if link.is_active and is_minor(participant, participant.organization.today()):
        episode = adolescent_episode(participant)
    policy = policy_for(episode.program) if episode is not None else None
    consents = current_consents(link) if link.is_active else {}
    kinds = granted_kinds(policy, consents) if policy is not None else frozenset()
    return LinkView(link=link, episode=episode, policy=policy, consents=consents, kinds=kinds)


def links_of_guardian(user: User) -> list[GuardianLink]:
    """The guardian's active links, their participants and organizations loaded."""
    return list(
        GuardianLink.objects.active()
        .filter(guardian=user)
        .select_related("participant", "participant__organization")
    )


def is_guardian(user: User) -> bool:
    return GuardianLink.objects.active().filter(guardian=user).exists()


def guardian_language(user_id: int) -> str | None:
    """The language a guardian chose (their latest active link's), None for non-guardians."""
    return (
        GuardianLink.objects.active()
        .filter(guardian_id=user_id)
        .order_by("-linked_at")
        .values_list("language", flat=True)
        .first()
    )


def guardian_time_zone(user_id: int) -> str | None:
    return (
        GuardianLink.objects.active()
        .filter(guardian_id=user_id)
        .values_list("participant__organization__time_zone", flat=True)
        .first()
    )


def links_of_participant(participant: Participant) -> list[GuardianLink]:
    """Every link of the participant, active first, with who linked and ended it."""
    return sorted(
        GuardianLink.objects.filter(participant=participant).select_related(
            "guardian", "linked_by", "ended_by", "participant", "participant__organization"
        ),
        key=lambda link: (not link.is_active, link.linked_at),
    )


def guardian_invitations(participant: Participant) -> list[GuardianInvitation]:
    return list(
        GuardianInvitation.objects.filter(participant=participant).select_related(
            "created_by", "revoked_by"
        )[:20]
    )


def usable_guardian_invitation(token: str, now: datetime) -> GuardianInvitation | None:
    """The guardian invitation a link opens at `now`, if it works (the same digest as a
    participant's invitation; the participant must still be eligible for a guardian)."""
    if not token or len(token) > 100:
        return None
    invitation = (
        GuardianInvitation.objects.filter(token_digest=Invitation.digest_of(token))
        .select_related("participant", "participant__organization", "created_by")
        .first()
    )
    if invitation is None or not invitation.is_usable(now):
        return None
    if link_refusal(invitation.participant):
        return None
    return invitation


def is_guardian_token(token: str) -> bool:
    """The one-time link is a guardian's (in any state: a used or expired one gets the same
    410 page as a participant's)."""
    if not token or len(token) > 100:
        return False
    return GuardianInvitation.objects.filter(token_digest=Invitation.digest_of(token)).exists()


@dataclass(frozen=True)
class GuardiansSection:
    """The "Guardians" section of the chart's Portal account tab."""

    refusal: str  # why no guardian may be linked now ("" when one may)
    links: list[LinkView]
    invitations: list[GuardianInvitation]
    now: datetime

    @property
    def open_invitations(self) -> list[GuardianInvitation]:
        return [i for i in self.invitations if i.is_usable(self.now)]

    @property
    def active(self) -> list[LinkView]:
        return [v for v in self.links if v.link.is_active]

    @property
    def ended(self) -> list[LinkView]:
        return [v for v in self.links if not v.link.is_active]

    @property
    def shown(self) -> bool:
        """Worth showing: the participant may have guardians, or has or had some."""
        return not self.refusal or bool(self.links) or bool(self.invitations)


def guardians_section(participant: Participant) -> GuardiansSection:
    return GuardiansSection(
        refusal=link_refusal(participant),
        links=[link_view(link) for link in links_of_participant(participant)],
        invitations=guardian_invitations(participant),
        now=timezone.now(),
    )


def has_guardians(participant: Participant) -> bool:
    """The participant has an active guardian link (their home links to "My guardians")."""
    return GuardianLink.objects.active().filter(participant=participant).exists()


@dataclass(frozen=True)
class HomeEntry:
    """One line of the guardian's home: the link, and the adolescent episode that makes it
    work (None: it shows nothing now)."""

    link: GuardianLink
    episode: Episode | None

    @property
    def works(self) -> bool:
        return self.episode is not None


def guardian_home(user: User) -> list[HomeEntry]:
    """The guardian's links and whether each works, in two queries whatever their number."""
    links = links_of_guardian(user)
    episodes: dict[int, Episode] = {}
    for episode in (
        Episode.objects.open()
        .filter(
            participant_id__in=[link.participant_id for link in links],
            program__population=Population.ADOLESCENT,
        )
        .select_related("program", "program__organization")
        .order_by("admitted_on", "created_at")
    ):
        episodes[episode.participant_id] = episode  # the latest wins
    entries = []
    for link in links:
        participant = link.participant
        minor = is_minor(participant, participant.organization.today())
        entries.append(HomeEntry(link, episodes.get(participant.pk) if minor else None))
    return entries
