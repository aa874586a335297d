"""In the demo as seeded, intake coordinators see no discharged episode whose care team has
ended (the probe that found it read DEMO-000002 at clinical scope)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from trellis.accounts.models import User
from trellis.participants.models import Episode, EpisodeStatus
from trellis.programs.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_intake_sees_no_discharged_episode_with_a_care_team() -> None:
    call_command("seed_demo", "--today", "2026-03-02", stdout=StringIO(), stderr=StringIO())
    discharged = Episode.objects.filter(
        status=EpisodeStatus.DISCHARGED, care_team__isnull=False
    ).distinct()
    assert discharged.exists()
    for intake in User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.INTAKE_COORDINATOR).values("user_id")
    ):
        assert not Episode.objects.visible_to(intake).filter(pk__in=discharged).exists()
        client = Client()
        client.force_login(intake)
        for episode in discharged.select_related("participant").order_by("participant__mrn")[:5]:
            response = client.get(f"/api/v1/participants/{episode.participant.public_id}")
            shown = [e["public_id"] for e in response.json().get("episodes", [])]
            assert str(episode.public_id) not in shown
