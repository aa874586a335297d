"""Step one of the demo: the participants to load, planned in pure Python.

`plan_participants(count, seed, today)` gives the same people, episodes, dates and care teams,
in the same order, for the same seed and the same `today`; nothing touches the database, so
determinism is easy to see and to test. `seed.load_demo` writes the plans.
"""

from __future__ import annotations

import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from trellis.demo.cast import (
    ADULT_CONTACTS,
    DEFAULT_PARTICIPANTS,
    DEFAULT_SEED,
    GIVEN_NAMES,
    LANGUAGES,
    NICKNAMES,
    PROGRAM_KEYS,
    PROGRAMS,
    PRONOUNS,
    STATE,
    STREET_KINDS,
    STREETS,
    SURNAMES,
    TEEN_CONTACTS,
    TIME_ZONE,
    ProgramSpec,
    staff_by_kind,
)
from trellis.participants.models import DischargeReason, EpisodeStatus
from trellis.programs.models import ClinicianKind, Population


@dataclass
class EpisodePlan:
    program: str
    track: str | None
    status: str
    admitted_on: date | None = None
    discharged_on: date | None = None
    reason: str = ""
    team: list[tuple[str, str, bool]] = field(default_factory=list)  # username, role, primary


@dataclass
class ParticipantPlan:
    mrn: str
    given_name: str
    family_name: str
    preferred_name: str
    pronouns: str
    date_of_birth: date
    email: str
    phone: str
    address_line1: str
    city: str
    state: str
    postal_code: str
    emergency_contact_name: str
    emergency_contact_relationship: str
    emergency_contact_phone: str
    language: str
    scenario: str
    episodes: list[EpisodePlan]  # oldest first; only the last one may be open
    portal_user: bool = False


# What happens to each planned participant. The first scenarios are compulsory so that even a
# small demo shows every status and every discharge reason; the rest are drawn by weight.
DISCHARGE_WEIGHTS = (
    (DischargeReason.COMPLETED, 45),
    (DischargeReason.TRANSFERRED, 18),
    (DischargeReason.DROPPED_OUT, 20),
    (DischargeReason.TERMINATED, 5),
    (DischargeReason.INCARCERATED, 4),
    (DischargeReason.DEATH, 2),
    (DischargeReason.OTHER, 6),
)
SCENARIO_WEIGHTS = (
    ("active", 50),
    ("on_hold", 5),
    ("waitlist", 10),
    ("planned", 7),
    ("discharged", 20),
    ("registered", 3),
    ("readmitted", 5),
)
EVENING_GROUP = 4  # people active in each program's evening track, at least
COMPULSORY_SCENARIOS: tuple[tuple[str, str | None], ...] = (
    ("portal", "adult_mh"),
    *(("evening", key) for key in PROGRAM_KEYS),
    *((("on_hold", key)) for key in PROGRAM_KEYS),
    *((("waitlist", key)) for key in PROGRAM_KEYS),
    *((("planned", key)) for key in PROGRAM_KEYS),
    *((f"discharged:{reason}", None) for reason in DischargeReason.values),
    # Discharged about a month ago: their summaries are signed and 30-day follow-ups due.
    ("recently_discharged", "adult_mh"),
    ("recently_discharged", "sud"),
    ("registered", None),
    ("registered", None),
    ("registered", None),
    ("readmitted", "adult_mh"),
    ("readmitted", "sud"),
    ("readmitted", "teen"),
    # Evening groups are where people who work come: each has four or more (last, so that a
    # small demo still shows every status first).
    *(("evening", key) for key in PROGRAM_KEYS for _ in range(EVENING_GROUP - 1)),
)


def _weighted[T](rng: random.Random, choices: Sequence[tuple[T, int]]) -> T:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _program(key: str) -> ProgramSpec:
    return next(p for p in PROGRAMS if p.key == key)


def plan_participants(
    count: int = DEFAULT_PARTICIPANTS, seed: int = DEFAULT_SEED, today: date | None = None
) -> list[ParticipantPlan]:
    """The participants to load: same seed and same `today` give the same list."""
    today = today or demo_today()
    rng = random.Random(seed)  # synthetic data, not a secret
    scenarios: list[tuple[str, str | None]] = list(COMPULSORY_SCENARIOS[:count])
    while len(scenarios) < count:
        scenarios.append((_weighted(rng, SCENARIO_WEIGHTS), None))
    rng.shuffle(scenarios)
    program_weights = [(p.key, p.weight) for p in PROGRAMS]
    plans = []
    for index, (scenario, program_key) in enumerate(scenarios, start=1):
        key = program_key or _weighted(rng, program_weights)
        plans.append(_plan_one(rng, index, scenario, key, today))
    return plans


def _plan_one(
    rng: random.Random, index: int, scenario: str, program_key: str, today: date
) -> ParticipantPlan:
    program = _program(program_key)
    adolescent = program.population == Population.ADOLESCENT
    age = rng.randint(13, 17) if adolescent else rng.randint(19, 68)
    # 365 days a year plus 10 to 350 days stays inside the age whatever the leap years.
    born = today - timedelta(days=age * 365 + rng.randint(10, 350))
    given = rng.choice(GIVEN_NAMES)
    family = rng.choice(SURNAMES)
    nickname = NICKNAMES.get(given, "")
    contact_family = family if rng.random() < 0.6 else rng.choice(SURNAMES)
    mrn = f"DEMO-{index:06d}"
    plan = ParticipantPlan(
        mrn=mrn,
        given_name=given,
        family_name=family,
        preferred_name=nickname if nickname and rng.random() < 0.5 else "",
        pronouns=_weighted(rng, PRONOUNS),
        date_of_birth=born,
        email=f"{given}.{family}.{index}@example.test".lower(),
        phone=f"(312) 555-01{rng.randint(0, 99):02d}",
        address_line1=(
            f"{rng.randint(100, 9899)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"
        ),
        city="Chicago",
        state=STATE,
        postal_code=f"606{rng.randint(1, 61):02d}",
        emergency_contact_name=f"{rng.choice(GIVEN_NAMES)} {contact_family}",
        emergency_contact_relationship=rng.choice(TEEN_CONTACTS if adolescent else ADULT_CONTACTS),
        emergency_contact_phone=f"(773) 555-01{rng.randint(0, 99):02d}",
        language=_weighted(rng, LANGUAGES),
        scenario=scenario,
        episodes=[],
        portal_user=scenario == "portal",
    )
    if scenario == "registered":
        return plan
    if scenario == "readmitted":
        # A past stay that ended, then a new open episode (same program, or a step across
        # between the two adult programs).
        earlier = _episode(rng, program, "discharged", today, ended_before=today - timedelta(90))
        plan.episodes.append(earlier)
        again = program
        if program.population == Population.ADULT and rng.random() < 0.4:
            again = _program("sud" if program.key == "adult_mh" else "adult_mh")
        plan.episodes.append(_episode(rng, again, rng.choice(["active", "waitlist"]), today))
        return plan
    if scenario == "recently_discharged":
        # A completed stay of six to ten weeks that ended a month or so ago.
        ended = today - timedelta(days=rng.randint(31, 38))
        plan.episodes.append(
            _episode(
                rng,
                program,
                "discharged",
                today,
                reason="completed",
                ended_on=ended,
                stay=rng.randint(42, 70),
            )
        )
        return plan
    if scenario == "evening":
        plan.episodes.append(_episode(rng, program, "active", today, track="evening"))
        return plan
    status, _, reason = scenario.partition(":")
    plan.episodes.append(
        _episode(rng, program, "active" if status == "portal" else status, today, reason=reason)
    )
    return plan


def _episode(
    rng: random.Random,
    program: ProgramSpec,
    status: str,
    today: date,
    *,
    reason: str = "",
    ended_before: date | None = None,
    ended_on: date | None = None,
    stay: int | None = None,
    track: str | None = None,
) -> EpisodePlan:
    track = track or _weighted(rng, [(t.key, t.weight) for t in program.tracks])
    if status in {"waitlist", "planned"}:
        # Half the waitlist has no track yet: the track follows the opening, not the referral.
        keep_track = status == "planned" or rng.random() < 0.5
        return EpisodePlan(program.key, track if keep_track else None, status)
    discharged: date | None = None
    if status == "active":
        admitted = today - timedelta(days=rng.randint(1, 70))
    elif status == "on_hold":
        admitted = today - timedelta(days=rng.randint(20, 80))
    else:
        latest_end = ended_before or today - timedelta(days=1)
        reason = reason or _weighted(rng, DISCHARGE_WEIGHTS)
        if stay is None:
            stay = _stay_days(rng, reason)
        ended = ended_on or latest_end - timedelta(days=rng.randint(0, 270))
        admitted = ended - timedelta(days=stay)
        discharged = ended if status == "discharged" else None
    episode = EpisodePlan(
        program.key,
        track,
        EpisodeStatus.DISCHARGED if status == "discharged" else status,
        admitted_on=admitted,
        discharged_on=discharged,
        reason=reason if status == "discharged" else "",
    )
    episode.team = _care_team(rng, program)
    return episode


def _stay_days(rng: random.Random, reason: str) -> int:
    """Days from admission to discharge: people who drop out leave within three weeks; a
    completed IOP stay is six to twelve weeks; other stays anything from two to twelve."""
    if reason == DischargeReason.DROPPED_OUT:
        return rng.randint(3, 20)
    if reason == DischargeReason.COMPLETED:
        return rng.randint(42, 84)
    return rng.randint(14, 84)


def _care_team(rng: random.Random, program: ProgramSpec) -> list[tuple[str, str, bool]]:
    primary_kind = (
        ClinicianKind.COUNSELOR if program.key == "sud" else ClinicianKind.THERAPIST
    ).value
    team = [(rng.choice(staff_by_kind(program.key, primary_kind)), primary_kind, True)]
    for kind, chance in (
        (ClinicianKind.PRESCRIBER, 0.6),
        (ClinicianKind.NURSE, 0.35),
        (ClinicianKind.CASE_MANAGER, 0.5),
        (ClinicianKind.PEER_SPECIALIST, 0.3),
    ):
        pool = staff_by_kind(program.key, kind)
        if pool and rng.random() < chance:
            team.append((rng.choice(pool), kind.value, False))
    return team


def demo_today() -> date:
    """Today in the demo organization's zone: dates in the demo are relative to it."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(TIME_ZONE))
