"""The layer table of docs/architecture.md as contracts, and who may touch clinical managers.

tests/architecture/test_layers.py and test_manager_access.py check the code against this
module on every `make test`; tests/architecture/graph.py reads the code (with `ast`, nothing is
imported or run). Change this file and docs/architecture.md together.

Rules, lowest layer first:

- A module may import its own app and the apps of lower layers, never those of a higher one.
- Apps of one layer do not import each other, except for the pairs in `PEER_IMPORTS`.
- Faces are the modules that serve requests: `views.py`, `api.py`, `urls.py`, `admin.py`
  and `views/` packages of every app and of its sub-packages (`notes/group/views.py`), any
  module an app's `urls.py` routes to, the project's own modules (`trellis/views.py`,
  `trellis/urls.py`, `trellis/api.py`, `trellis/navigation.py`) and every module of a
  face-level app (`compliance`). Faces sit above all apps: a model, action, query or access
  module never imports a face, not even its own app's. An app's faces may import the faces of
  their own app; the project's modules wire every app's faces together.
- An access module (`access.py`, in the app or a sub-package: `notes/group/access.py`) may
  also import privacy (see below).
- Imports under `if TYPE_CHECKING:` are exempt: a lower module that is handed an object from
  above (an access object, a user) may name its type for annotations. They never run.
- A Django relation written as a string (`ForeignKey("participants.Participant", ...)`) counts
  as an import of that app's models: the table and its migrations depend on it.
"""

from __future__ import annotations

# Apps by layer, lowest first. Every directory under trellis/ with an __init__.py must be here.
LAYERS: tuple[tuple[str, frozenset[str]], ...] = (
    ("base", frozenset({"lib", "audit", "accounts"})),
    # directory: the public national directory of facilities (no participant data).
    ("shape", frozenset({"programs", "directory"})),
    ("record", frozenset({"participants", "privacy", "worklist", "notifications"})),
    ("clinical", frozenset({"scheduling", "measures", "plans", "practice"})),
    # intake is work, not record: admitting someone puts them on rosters (scheduling) and
    # turns their screening into check-ins (measures).
    # peers: the peer space reads episodes (membership) and raises worklist items.
    ("work", frozenset({"notes", "meetings", "transitions", "intake", "messaging", "peers"})),
    # The faces of every app are here too (see the module docstring); these apps are all face.
    ("faces", frozenset({"compliance", "portal", "finder"})),
    # Seeds demo data through every app's actions; nothing imports it.
    ("seed", frozenset({"demo"})),
)

FACES_LAYER = "faces"

# The project's own modules (trellis/*.py) are faces: they wire apps' URLs, routers and pages.
PROJECT = ""

# Peers that may import each other, (importer, imported) app: one direction only.
PEER_IMPORTS: dict[tuple[str, str], str] = {
    ("accounts", "audit"): "sign-ins, password changes and API tokens are audited",
    ("accounts", "lib"): "lib is domain-free: every app may use it",
    ("audit", "lib"): "lib is domain-free: every app may use it",
    ("privacy", "participants"): "the policy turns episodes and care teams into filters",
    ("worklist", "participants"): "alerts and tasks are about a participant's episode",
    ("worklist", "privacy"): "a worker lists only the alerts of people they may see",
    ("notifications", "participants"): "a participant's preferences and outbox; invitations "
    "tell whether they agreed to be texted",
    ("plans", "measures"): "objectives measure themselves from scores",
    ("plans", "scheduling"): "objectives measure themselves from attendance and hours",
    ("meetings", "notes"): "meeting sweeps raise tasks about notes left unsigned",
    ("practice", "scheduling"): "assignments come from sessions; curriculum topics link to skills",
    ("practice", "plans"): "practice objectives measure themselves from practice (a provider)",
    ("messaging", "notes"): "a message is filed to the chart by quoting it in a draft note",
}

# Access modules (`<app>/access.py`, or a sub-package's: `notes/group/access.py`) are the
# app's half of the access gate: code of their app's layer that may import privacy even where
# privacy is a peer (a `participants/access.py` would be).
ACCESS_MODULE_MAY_IMPORT = "privacy"

# Modules that are named like faces but hold no pages or endpoints: helpers faces build on.
NOT_FACES: dict[str, str] = {
    "trellis.lib": "every module of lib is a domain-free helper (API error shapes, page helpers)",
    "trellis.accounts.api": "how API callers authenticate; every router uses it, it routes nothing",
}

# Single imports that break a rule on purpose, (importer module, imported module). Each one
# says why; the test fails when one is no longer needed, so the list only shrinks.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("trellis.audit.models", "trellis.participants.models"): (
        "Event.participant (a string reference): the trail indexes each person's access "
        "history, which the accounting of disclosures and the audit report read by person"
    ),
    ("trellis.participants.models", "trellis.privacy.policy"): (
        "Participant.objects.visible_to / Episode.objects.visible_to: the QuerySet method is "
        "the policy's entry point for lists; imported when called, so privacy.policy may "
        "import participants.models at module level"
    ),
}


# Participant data: models whose rows belong to a participant, found from the models
# themselves (a foreign-key path to participants.Participant, see test_manager_access.py),
# plus these, which hold clinical content about several participants at once.
SHARED_CLINICAL_MODELS: frozenset[str] = frozenset(
    {
        "notes.GroupNote",  # the group's narrative
        "meetings.Meeting",  # the team's discussion of its caseload
        "meetings.MeetingAddendum",
    }
)

# Faces that touch a participant-data model's manager today, (face module, model label).
# Pages and endpoints open a participant's data through `privacy.access` or the app's
# `access.py`, or list it with `Model.objects.visible_to(user)`; the lookups below predate
# that and are being moved to access functions. This list only shrinks: never add to it.
MANAGER_ACCESS_ALLOWED: frozenset[tuple[str, str]] = frozenset(
    {
        ("trellis.scheduling.views.attendance", "participants.Episode"),
    }
)
