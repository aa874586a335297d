"""The fixed cast of the demo: organization, programs and tracks, rooms, staff, name lists.

Everything here is invented. Surnames such as Quillfeather and Mockingford are meant to look
synthetic at a glance, so nobody mistakes a demo screen for a real person's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from trellis.programs.models import ClinicianKind, Delivery, Population, Role

DEMO_PASSWORD = "trellis-demo-2026"  # noqa: S105  # printed by demo_signins: it is a demo
DEMO_URL = "http://127.0.0.1:8000"
ORGANIZATION_NAME = "Quillbrook Behavioral Health (demo)"
TIME_ZONE = "America/Chicago"
STATE = "IL"
DEFAULT_SEED = 7
DEFAULT_PARTICIPANTS = 72

# -- the shape of the organization ----------------------------------------------------------


@dataclass(frozen=True)
class TrackSpec:
    key: str
    name: str
    delivery: str
    capacity: int
    schedule_summary: str
    weight: int  # how often a new participant is placed here
    hours: tuple[time, time]  # the local hours every session of the track keeps


@dataclass(frozen=True)
class ProgramSpec:
    key: str
    name: str
    population: str
    description: str
    tracks: tuple[TrackSpec, ...]
    weight: int  # share of participants
    level_of_care: str = "ASAM3:2.1"


PROGRAMS: tuple[ProgramSpec, ...] = (
    ProgramSpec(
        key="adult_mh",
        name="Adult Mental Health IOP",
        population=Population.ADULT,
        description=(
            "Group-based intensive outpatient care for adults with depression, anxiety, "
            "trauma and mood disorders: DBT and CBT skills, individual therapy, psychiatry."
        ),
        weight=45,
        tracks=(
            TrackSpec(
                "morning",
                "Morning",
                Delivery.IN_PERSON,
                12,
                "Mon–Thu 9 am–12 pm",
                5,
                (time(9, 0), time(12, 0)),
            ),
            TrackSpec(
                "evening",
                "Evening",
                Delivery.HYBRID,
                12,
                "Mon–Thu 6–9 pm",
                3,
                (time(18, 0), time(21, 0)),
            ),
            TrackSpec(
                "weekend",
                "Weekend telehealth",
                Delivery.TELEHEALTH,
                10,
                "Sat/Sun 9 am–1:30 pm (video)",
                2,
                (time(9, 0), time(13, 30)),
            ),
        ),
    ),
    ProgramSpec(
        key="teen",
        name="Adolescent IOP",
        population=Population.ADOLESCENT,
        description=(
            "After-school intensive outpatient care for ages 13–17, with weekly family "
            "sessions and school coordination."
        ),
        weight=25,
        tracks=(
            TrackSpec(
                "after_school",
                "After school",
                Delivery.IN_PERSON,
                10,
                "Mon/Tue/Thu 3:30–6 pm",
                5,
                (time(15, 30), time(18, 0)),
            ),
            TrackSpec(
                "evening",
                "Evening",
                Delivery.HYBRID,
                10,
                "Mon–Thu 5:30–8:30 pm",
                3,
                (time(17, 30), time(20, 30)),
            ),
            TrackSpec(
                "weekend",
                "Weekend telehealth",
                Delivery.TELEHEALTH,
                8,
                "Sat/Sun 9 am–12 pm (video)",
                2,
                (time(9, 0), time(12, 0)),
            ),
        ),
    ),
    ProgramSpec(
        key="sud",
        name="Adult Substance Use IOP",
        population=Population.ADULT,
        level_of_care="ASAM3:2.1",
        description=(
            "ASAM level 2.1 intensive outpatient treatment for substance use disorders: "
            "relapse prevention, MAT coordination, peer recovery support. 42 CFR Part 2."
        ),
        weight=30,
        tracks=(
            TrackSpec(
                "morning",
                "Morning",
                Delivery.IN_PERSON,
                12,
                "Mon–Thu 9 am–12 pm",
                4,
                (time(9, 0), time(12, 0)),
            ),
            TrackSpec(
                "evening",
                "Evening",
                Delivery.IN_PERSON,
                12,
                "Mon–Thu 6–8:30 pm",
                5,
                (time(18, 0), time(20, 30)),
            ),
            TrackSpec(
                "weekend",
                "Weekend telehealth",
                Delivery.TELEHEALTH,
                10,
                "Sat/Sun 9 am–1:30 pm (video)",
                2,
                (time(9, 0), time(13, 30)),
            ),
        ),
    ),
)

PROGRAM_KEYS = tuple(p.key for p in PROGRAMS)

ROOMS: tuple[tuple[str, int], ...] = (
    ("Group Room A", 14),
    ("Group Room B", 12),
    ("Teen Room", 10),
    ("Family Room", 6),
    ("Office 1", 2),
    ("Office 2", 2),
)


@dataclass(frozen=True)
class CredentialSpec:
    kind: str
    expires_in_days: int  # from the seeding date: a few are deliberately close


@dataclass(frozen=True)
class StaffSpec:
    username: str
    first_name: str
    last_name: str
    title: str
    role: str
    sees: str  # one line for `demo_signins`
    programs: tuple[str, ...] = ()  # empty: an organization-wide membership
    clinician_kind: str = ""
    credentials: tuple[CredentialSpec, ...] = ()
    superuser: bool = False
    supervisor: str = ""  # username of the supervising clinician (trainees)


ALL = PROGRAM_KEYS
CARE_TEAM = "charts of the participants on their care teams"
STAFF: tuple[StaffSpec, ...] = (
    StaffSpec(
        "director", "Rosalind", "Brightwater", "Clinical director, licensed psychologist",
        Role.PROGRAM_DIRECTOR, "every participant and chart in all three programs",
        credentials=(CredentialSpec("PsyD", 900),),
    ),
    StaffSpec(
        "psychiatrist", "Tobias", "Vantwistle", "Psychiatrist", Role.CLINICIAN,
        CARE_TEAM, ALL,
        ClinicianKind.PRESCRIBER, (CredentialSpec("MD", 640),),
    ),
    StaffSpec(
        "pmhnp", "Lucia", "Ferncastle", "Psychiatric nurse practitioner", Role.CLINICIAN,
        CARE_TEAM, ("adult_mh", "teen"),
        ClinicianKind.PRESCRIBER, (CredentialSpec("PMHNP", 24), CredentialSpec("RN", 24)),
    ),
    StaffSpec(
        "therapist", "Marcus", "Oakhollow", "Licensed clinical social worker", Role.CLINICIAN,
        CARE_TEAM, ("adult_mh",),
        ClinicianKind.THERAPIST, (CredentialSpec("LCSW", 420),),
    ),
    StaffSpec(
        "lpc", "Priya", "Dunmarrow", "Licensed professional counselor", Role.CLINICIAN,
        CARE_TEAM, ("adult_mh",),
        ClinicianKind.THERAPIST, (CredentialSpec("LPC", 510),),
    ),
    StaffSpec(
        "associate", "Jonah", "Pennywhistle", "Associate therapist (LSW, supervised)",
        Role.CLINICIAN, CARE_TEAM, ("adult_mh",),
        ClinicianKind.THERAPIST, (CredentialSpec("LSW", 300),), supervisor="therapist",
    ),
    StaffSpec(
        "lmft", "Amara", "Glimmerdale", "Licensed marriage and family therapist", Role.CLINICIAN,
        CARE_TEAM, ("teen",),
        ClinicianKind.THERAPIST, (CredentialSpec("LMFT", 47),),
    ),
    StaffSpec(
        "teen.therapist", "Diego", "Larkmoor", "Licensed clinical social worker", Role.CLINICIAN,
        CARE_TEAM, ("teen",),
        ClinicianKind.THERAPIST, (CredentialSpec("LCSW", 780),),
    ),
    StaffSpec(
        "counselor", "Hana", "Stillbrook", "Licensed alcohol and drug counselor", Role.CLINICIAN,
        CARE_TEAM, ("sud",),
        ClinicianKind.COUNSELOR, (CredentialSpec("LADC", 365), CredentialSpec("LCPC", 365)),
    ),
    StaffSpec(
        "cadc", "Walter", "Emberline", "Certified alcohol and drug counselor", Role.CLINICIAN,
        CARE_TEAM, ("sud",),
        ClinicianKind.COUNSELOR, (CredentialSpec("CADC", 200),),
    ),
    StaffSpec(
        "nurse", "Grace", "Tallowmere", "Registered nurse", Role.CLINICIAN,
        CARE_TEAM, ALL,
        ClinicianKind.NURSE, (CredentialSpec("RN", 560),),
    ),
    StaffSpec(
        "casemanager", "Omar", "Ridgewell", "Case manager", Role.CLINICIAN,
        CARE_TEAM, ALL,
        ClinicianKind.CASE_MANAGER, (CredentialSpec("CCM", 1000),),
    ),
    StaffSpec(
        "peer", "Shawna", "Mistleford", "Certified peer recovery specialist", Role.CLINICIAN,
        CARE_TEAM, ("adult_mh", "sud"),
        ClinicianKind.PEER_SPECIALIST, (CredentialSpec("CPRS", 150),),
    ),
    StaffSpec(
        "intake", "Beatrice", "Honeycombe", "Intake coordinator", Role.INTAKE_COORDINATOR,
        "waitlist and planned admissions (no care team yet) and people not yet enrolled",
    ),
    StaffSpec(
        "frontdesk", "Felix", "Cobbleton", "Front desk and scheduling", Role.FRONT_DESK,
        "names, contact details and enrollment in every program; no clinical content",
    ),
    StaffSpec(
        "compliance", "Nadia", "Quarrington", "Compliance and privacy officer",
        Role.COMPLIANCE_OFFICER, "the audit trail; no charts",
    ),
    StaffSpec(
        "admin", "Theo", "Wrenfield", "Systems administrator", Role.ADMINISTRATOR,
        "sites and set-up pages of every program; /admin/ for emergencies; no charts",
        superuser=True,
    ),
)  # fmt: skip

PORTAL_USERNAME = "participant"
PORTAL_SEES = (
    "their portal at /me/ (sessions, check-ins, practice, messages, progress, the peer space; "
    "Español)"
)
GUARDIAN_USERNAME = "guardian"
GUARDIAN_SEES = (
    "a parent's /family/ page, in Spanish: one teenager's sessions, attendance and check-ins "
    "due in the adolescent program, and messages to the care team (never notes, diary cards "
    "or answers)"
)


def staff_by_kind(program_key: str, kind: str) -> list[str]:
    """Usernames of the clinicians of one discipline working in a program."""
    return [
        s.username
        for s in STAFF
        if s.role == Role.CLINICIAN and s.clinician_kind == kind and program_key in s.programs
    ]


# -- synthetic people -----------------------------------------------------------------------

SURNAMES = (
    "Quillfeather", "Thistledown", "Brambleworth", "Mockingford", "Sampleton", "Fernwhistle",
    "Puddlecombe", "Tumbleweather", "Copperkettle", "Marblemead", "Dapplegrove", "Inkwright",
    "Jamblethorn", "Kettleburrow", "Lanternfield", "Moonpebble", "Pebblesworth", "Quincefoot",
    "Rumblethorn", "Saffronwick", "Tinderbloom", "Umberfold", "Velvetmoss", "Wafflestone",
    "Yarrowby", "Zephyrwood", "Bumbleford", "Cindermoor", "Elderwhisk", "Figglestone",
    "Gingerfield", "Hazelwhit", "Ivorymead", "Juniperly", "Kindlewick", "Lindenfrost",
    "Mapleshade", "Nimblecroft", "Orchardly", "Quietbrook", "Rosethistle", "Sprocketson",
    "Teaspoonby", "Underhollow", "Vinegarth", "Exampleton", "Testerfield", "Demoford",
    "Fictionary", "Placeholme", "Mockridge", "Pretendergast", "Notaperson", "Widgetson",
)  # fmt: skip

GIVEN_NAMES = (
    "Aaliyah", "Adrian", "Aisha", "Alejandro", "Alexandra", "Andre", "Anh", "Benjamin",
    "Brianna", "Carlos", "Chloe", "Christopher", "Daniel", "Deshawn", "Elena", "Elijah",
    "Emily", "Fatima", "Gabriel", "Hannah", "Isabel", "Jamal", "Jasmine", "Jennifer",
    "Jordan", "Joseph", "Katherine", "Kevin", "Layla", "Leah", "Luis", "Malik", "Maria",
    "Matthew", "Mei", "Michael", "Nicole", "Noah", "Olivia", "Omar", "Patricia", "Rafael",
    "Rebecca", "Robert", "Samantha", "Samuel", "Sofia", "Tamika", "Thomas", "Tyler",
    "Valentina", "Victoria", "William", "Xavier", "Yusuf", "Zoe", "Anthony", "Margaret",
    "Elizabeth", "Nathaniel",
)  # fmt: skip

NICKNAMES = {
    "Alexandra": "Alex", "Benjamin": "Ben", "Christopher": "Chris", "Daniel": "Dani",
    "Elizabeth": "Liz", "Jennifer": "Jen", "Joseph": "Joe", "Katherine": "Kate",
    "Margaret": "Maggie", "Matthew": "Matt", "Michael": "Mike", "Nathaniel": "Nate",
    "Patricia": "Trish", "Rebecca": "Becca", "Robert": "Rob", "Samantha": "Sam",
    "Samuel": "Sam", "Thomas": "Tom", "Victoria": "Tori", "William": "Will",
}  # fmt: skip

STREETS = (
    "Lantern", "Fiddlehead", "Cobblestone", "Wickerbasket", "Thimble", "Buttonwood",
    "Gumdrop", "Hopscotch", "Pinwheel", "Teacup", "Marigold", "Kettle",
)  # fmt: skip
STREET_KINDS = ("Ave", "St", "Ln", "Ct", "Blvd")
LANGUAGES = (("en", 85), ("es", 10), ("pl", 3), ("vi", 2))
PRONOUNS = (("she/her", 40), ("he/him", 40), ("they/them", 8), ("", 12))
ADULT_CONTACTS = ("Spouse", "Partner", "Sibling", "Parent", "Friend", "Adult child")
TEEN_CONTACTS = ("Parent", "Parent", "Guardian", "Grandparent")


SHORT_NAMES = {"adult_mh": "adult MH", "teen": "adolescent", "sud": "substance use"}


def sign_ins() -> list[tuple[str, str, str]]:
    """(username, role, what they see) for every demo sign-in, staff first."""
    rows = [(s.username, _role_label(s), _sees(s)) for s in STAFF]
    rows.append((PORTAL_USERNAME, "Participant (portal)", PORTAL_SEES))
    rows.append((GUARDIAN_USERNAME, "Guardian (family account)", GUARDIAN_SEES))
    return rows


def _role_label(spec: StaffSpec) -> str:
    role = (
        ClinicianKind(spec.clinician_kind).label if spec.clinician_kind else Role(spec.role).label
    )
    kinds = ", ".join(c.kind for c in spec.credentials)
    return f"{role} ({kinds})" if kinds else str(role)


def _sees(spec: StaffSpec) -> str:
    if spec.role != Role.CLINICIAN:
        return spec.sees
    where = (
        "all programs"
        if set(spec.programs) == set(PROGRAM_KEYS)
        else " and ".join(SHORT_NAMES[key] for key in spec.programs)
    )
    return f"{spec.sees}, {where}"
