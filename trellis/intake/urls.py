"""Intake URLs, included at the site root. Views live in `views/` by part of the journey."""

from django.urls import path

from trellis.intake.views import (
    admission,
    board,
    consents,
    detail,
    funnel,
    public,
    recommendation,
    screening,
    waitlist,
)

app_name = "intake"
urlpatterns = [
    path("intake/", board.board, name="board"),
    path("intake/new/", board.inquiry_new, name="new"),
    path("intake/programs/<uuid:program_id>/settings/", board.intake_settings, name="settings"),
    path("intake/<uuid:inquiry_id>/", detail.detail, name="detail"),
    path("intake/<uuid:inquiry_id>/log/", detail.log_event, name="log"),
    path("intake/<uuid:inquiry_id>/assign/", detail.assign, name="assign"),
    path("intake/<uuid:inquiry_id>/status/", detail.change_status, name="status"),
    path("intake/<uuid:inquiry_id>/merge/", detail.merge, name="merge"),
    path("intake/<uuid:inquiry_id>/link/", detail.link, name="link"),
    path("intake/<uuid:inquiry_id>/screening/", screening.screening, name="screening"),
    path("intake/<uuid:inquiry_id>/screening/enter/", screening.screen_now, name="screen-now"),
    path("intake/<uuid:inquiry_id>/screening/decide/", screening.decide, name="decide"),
    path("intake/s/done/", screening.battery_done, name="battery-done"),
    path("intake/s/<str:token>/", screening.battery_link, name="battery"),
    path(
        "intake/programs/<uuid:program_id>/level-of-care/",
        recommendation.rules,
        name="rules",
    ),
    path("intake/funnel/", funnel.funnel_page, name="funnel"),
    path("intake/<uuid:inquiry_id>/admit/", admission.admit, name="admit"),
    path("intake/<uuid:inquiry_id>/consents/", consents.consents, name="consents"),
    path("intake/<uuid:inquiry_id>/waitlist/", waitlist.add, name="waitlist-add"),
    path("intake/waitlist/", waitlist.index, name="waitlists"),
    path("intake/waitlist/<uuid:track_id>/", waitlist.track, name="waitlist"),
    path(
        "intake/waitlist/entry/<uuid:waitlist_entry_id>/move/", waitlist.move, name="waitlist-move"
    ),
    path(
        "intake/waitlist/entry/<uuid:waitlist_entry_id>/offer/",
        waitlist.offer,
        name="waitlist-offer",
    ),
    path(
        "intake/waitlist/entry/<uuid:waitlist_entry_id>/accept/",
        waitlist.accept,
        name="waitlist-accept",
    ),
    path(
        "intake/waitlist/entry/<uuid:waitlist_entry_id>/decline/",
        waitlist.decline,
        name="waitlist-decline",
    ),
    path(
        "intake/waitlist/entry/<uuid:waitlist_entry_id>/leave/",
        waitlist.leave,
        name="waitlist-leave",
    ),
    path("intake/setup/<uuid:program_id>/consents/", consents.setup, name="consent-setup"),
    path(
        "intake/setup/<uuid:program_id>/consents/<uuid:document_id>/",
        consents.document,
        name="consent-document",
    ),
    # The program's public web form: no sign-in.
    path("inquire/<uuid:program_id>/", public.inquire, name="inquire"),
    path("inquire/<uuid:program_id>/thanks/", public.inquire_thanks, name="inquire-thanks"),
]
