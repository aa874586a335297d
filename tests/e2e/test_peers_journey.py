"""The peer space on a phone (390 px): the participant joins their track's board (display
name, rules), posts, replies, reports a post and, writing about self-harm, sees the crisis line
first; the program's director works the moderation queue at phone width and hides the reported
post with a reason (docs/portal.md, "Peer space"). Every participant page of the journey is
checked with axe-core, at 320 px, at 200 % text and for 44 px targets, by the same audit as
tests/e2e/test_portal_accessibility.py."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import BrowserContext, expect

from tests.e2e.test_portal_accessibility import PHONE, audit, new_page
from tests.e2e.test_portal_accessibility import context as context  # the phone-width fixture
from tests.personas import PASSWORD, World, make_participant
from trellis.accounts.actions import do_create_user
from trellis.peers.models import Post, PostStatus
from trellis.peers.tests.helpers import join, write
from trellis.worklist.models import Alert


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Email or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url in {f"{base}/", f"{base}/me/"})


def test_posting_reporting_and_moderating_at_phone_width(
    e2e_world: World, context: BrowserContext, live_server: Any
) -> None:
    world = e2e_world
    robin_user = do_create_user(None, username="robin.member", password=PASSWORD,
                                is_staff_profile=False)  # fmt: skip
    robin = make_participant(
        world.organization, "MRN-9901", "Robin", "Fernwhistle", program=world.program,
        track=world.evening, user=robin_user,
    )  # fmt: skip
    join(robin, "Night Owl")
    write(robin, "Welcome to the evening group, everyone!")
    spam = write(robin, "Cheap pills, message me")

    base = live_server.url
    found: dict[str, list[str]] = {}
    errors: list[str] = []
    page = new_page(context, errors)
    _sign_in(page, base, "pat.participant")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Peer space").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer space")
    audit(page, "/me/peers/", found)
    page.get_by_role("link", name="Evening track").click()
    expect(page.get_by_role("heading", name="Before you join")).to_be_visible()
    audit(page, "board: first visit", found)
    page.get_by_label("Your display name").fill("Patricia Quillfeather")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("This is your full name")).to_be_visible()
    audit(page, "board: first visit (errors)", found)
    page.get_by_label("Your display name").fill("Sunny")
    page.get_by_label("I accept the community rules").check()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("Welcome. You can post now.")).to_be_visible()

    page.get_by_label("Write a post").fill("First week <b>done</b>!")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text("Posted.")).to_be_visible()
    expect(page.locator(".peers-body").first).to_have_text("First week <b>done</b>!")
    audit(page, "board: posts", found)

    page.get_by_label("Write a post").fill("Some nights I want to die")
    page.get_by_role("button", name="Post").click()
    expect(page.locator("#crisis")).to_be_visible()
    expect(page.locator('#crisis a[href="tel:988"]')).to_be_visible()
    crisis_top = page.locator("#crisis").bounding_box()
    first_post = page.locator(".peers-post").first.bounding_box()
    assert crisis_top is not None
    assert first_post is not None
    assert crisis_top["y"] < first_post["y"]  # the crisis line comes before the posts
    assert Alert.objects.count() == 1

    page.locator(".peers-post", has_text="Welcome to the evening").get_by_role(
        "link", name="0 replies"
    ).click()
    page.get_by_label("Reply").fill("Thank you!")
    page.get_by_role("button", name="Reply").click()
    expect(page.locator(".peers-body", has_text="Thank you!")).to_be_visible()
    audit(page, "post and replies", found)

    page.goto(f"{base}/me/peers/post/{spam.public_id}/report/")
    audit(page, "report", found)
    page.get_by_label("Spam or selling").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("Thank you. A moderator will look at it.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The director moderates, on a phone too.
    page.set_viewport_size(PHONE)
    _sign_in(page, base, "dana.director")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Peer space").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer space: moderation queue")
    item = page.locator(".peers-queue-item", has_text="Cheap pills")
    expect(item).to_contain_text("Reported 1×")
    expect(page.locator(".peers-queue-item").first).to_contain_text("Mentions self-harm")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    item.get_by_role("link", name="Review").click()
    expect(page.get_by_text("Spam or selling")).to_be_visible()
    page.get_by_label("Hide from members").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#reason-error")).to_be_visible()  # a reason is required
    page.get_by_label("Hide from members").check()
    page.get_by_label("Reason (required to hide or restore; members never see it)").fill("Selling")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Done: the post is off the queue.")).to_be_visible()
    spam.refresh_from_db()
    assert spam.status == PostStatus.HIDDEN
    assert Post.objects.filter(needs_review=True).count() == 1  # the self-harm post waits

    assert not found, f"accessibility problems: {found}"
    # The two refused forms (the legal name, the missing reason) answer 400 on purpose.
    unexpected = [e for e in errors if "status of 400" not in e]
    assert unexpected == [], f"browser console errors: {unexpected}"
