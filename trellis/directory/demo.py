"""The demo's directory (docs/finder.md, "Demo"): the bundled 2023 National Directory
workbooks, only the rows of the demo organization's region (Illinois and its neighbours
Indiana and Wisconsin, about 1,600 listings), so that `make demo` stays quick. The whole
country is one command away: `manage.py import_directory data/samhsa/*.xlsx`."""

from __future__ import annotations

from django.conf import settings

from trellis.directory.importing import import_directory
from trellis.directory.reading import read_directory_file

DEMO_STATES = ("IL", "IN", "WI")


def seed_directory(states: tuple[str, ...] = DEMO_STATES) -> int:
    """Import the bundled workbooks' rows of `states`; the number of listings added."""
    added = 0
    for path in sorted((settings.BASE_DIR / "data" / "samhsa").glob("*.xlsx")):
        added += import_directory(read_directory_file(path, states=states)).added
    return added
