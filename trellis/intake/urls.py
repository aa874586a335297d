"""Intake's pages. Each view lives in the `views/` module named here."""

from django.urls import path

from trellis.intake.views import admission, consents, waitlist

app_name = "intake"

urlpatterns = [
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
]
