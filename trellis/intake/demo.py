"""The demo's intake: people who are not participants yet. Called by seed_demo last, after
the clinical history (screenings raise alerts and open planned episodes)."""

from __future__ import annotations

import random
from datetime import date

from trellis.intake.demo_screening import seed_screening
from trellis.programs.models import Organization


def seed_intake(organization: Organization, *, rng: random.Random, today: date) -> None:
    seed_screening(organization, rng=rng, today=today)
