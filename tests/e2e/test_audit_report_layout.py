"""The audit report fits a 1,280 px screen: the table scrolls inside its frame, never the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World
from trellis.audit.models import Action, Purpose
from trellis.audit.trail import record

pytestmark = pytest.mark.e2e


def test_audit_report_fits_a_1280_px_screen(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    world = e2e_world
    # Long cells: a full list detail, an alert recipient, a denial.
    record(
        world.clinician, Action.LIST, participant=world.participant, obj=world.participant,
        purpose=Purpose.TREAT, role="alert_recipient",
        detail={"q": "quillfeather", "program": str(world.program.public_id),
                "track": str(world.evening.public_id), "status": "active", "results": 12},
    )  # fmt: skip
    page = sign_in("connor.compliance")
    page.set_viewport_size({"width": 1280, "height": 860})
    page.goto(f"{live_server}/audit/")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the page is {width} px wide on a 1280 px screen"
    # Shorter columns: the table itself fits its frame, no sideways scrolling to read a row.
    table, frame = page.evaluate(
        "[document.querySelector('.table-wrap table').scrollWidth,"
        " document.querySelector('.table-wrap').clientWidth]"
    )
    assert table <= frame, f"the table is {table} px wide in a {frame} px frame"
    expect(page.get_by_role("cell", name="Alert recipient").first).to_be_visible()
