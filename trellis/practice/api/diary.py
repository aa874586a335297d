"""The practice API: the diary part, under /api/v1/practice/ (docs/practice.md)."""

from __future__ import annotations

from ninja import Router

router = Router()
