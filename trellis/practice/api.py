"""The practice API under /api/v1/practice/: one router, each part's endpoints in its own
module (`api_<part>.py`) added here."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["practice"])
