"""Main journeys of the foundation in a real browser."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.personas import World

pytestmark = pytest.mark.e2e


def test_director_signs_in_searches_and_opens_a_chart(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    page = sign_in("dana.director")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    page.get_by_role("link", name="Participants").click()
    expect(page.get_by_role("link", name="Rowan Thistledown")).to_be_visible()

    # Search as you type: htmx swaps the results without a page load.
    page.get_by_label("Search by name or MRN").fill("quill")
    expect(page.get_by_role("link", name="Rowan Thistledown")).to_have_count(0)
    # Search terms stay out of the address bar and history (they can be names).
    expect(page).not_to_have_url(re.compile(r"q=quill"))
    page.get_by_role("link", name="Patricia Quillfeather").click()

    expect(page.get_by_role("heading", name="Patricia Quillfeather")).to_be_visible()
    expect(page.get_by_role("heading", name="Care team")).to_be_visible()
    expect(page.get_by_text("Casey Clinician, LPC")).to_be_visible()
    expect(page.get_by_text("MRN MRN-1001")).to_be_visible()


def test_front_desk_sees_contact_details_but_no_clinical_section(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    page = sign_in("frankie.frontdesk")
    page.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/")
    expect(page.get_by_role("heading", name="Demographics and contact")).to_be_visible()
    expect(page.get_by_text("555-0100")).to_be_visible()
    expect(page.get_by_role("heading", name="Care team")).to_have_count(0)
    expect(page.get_by_text("Level of care")).to_have_count(0)
    expect(page.get_by_text("clinical content is not shown")).to_be_visible()


def test_outsider_gets_the_404_page(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    page = sign_in("oakley.outsider")
    response = page.goto(f"{live_server}/participants/{e2e_world.participant.public_id}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text("Quillfeather")).to_have_count(0)


def test_phone_width_keeps_the_list_usable(
    e2e_world: World, sign_in: Callable[[str], Page], live_server: object
) -> None:
    page = sign_in("casey.clinician")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server}/participants/")
    expect(page.get_by_role("link", name="Patricia Quillfeather")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
