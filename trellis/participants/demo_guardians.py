"""The demo's guardian (docs/portal.md, "Guardians"): a parent who reads, in Spanish, the
schedule and attendance of one teenager in the adolescent program. Synthetic data only."""

from __future__ import annotations

from trellis.accounts.actions import do_create_user
from trellis.participants.actions.guardians import do_link_guardian
from trellis.participants.guardianship import adolescent_episode, is_minor
from trellis.participants.models import Episode, GuardianRelationship, Participant
from trellis.programs.models import Organization, Population


def demo_teen(organization: Organization) -> Participant | None:
    """The first teenager (by record) with an open episode of an adolescent program."""
    today = organization.today()
    episodes = (
        Episode.objects.open()
        .filter(
            program__organization=organization,
            program__population=Population.ADOLESCENT,
            admitted_on__isnull=False,
        )
        .select_related("participant", "participant__organization")
        .order_by("participant__mrn")
    )
    for episode in episodes:
        participant = episode.participant
        if is_minor(participant, today) and adolescent_episode(participant) is not None:
            return participant
    return None


def seed_guardians(organization: Organization, *, username: str, password: str) -> None:
    teen = demo_teen(organization)
    if teen is None:
        return
    guardian = do_create_user(
        None,
        username=username,
        password=password,
        email=f"{username}@example.test",
        first_name="Elena",
        last_name=teen.family_name,
        is_staff_profile=False,
    )
    do_link_guardian(None, guardian, teen, relationship=GuardianRelationship.PARENT, language="es")
