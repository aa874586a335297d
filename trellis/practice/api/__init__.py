"""The practice API under /api/v1/practice/: one router, each part's endpoints in its own
module (`api/<part>.py`), added here."""

from __future__ import annotations

from ninja import Router

from trellis.practice.api import adherence, assignments, diary, library, me, safety

router = Router(tags=["practice"])
for _part in (library, assignments, diary, safety, adherence, me):
    router.add_router("", _part.router)
