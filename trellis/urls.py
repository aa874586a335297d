"""Top-level URLs. Each app owns its own urls.py; the API is assembled in trellis/api.py."""

from django.contrib import admin
from django.urls import include, path

from trellis import views
from trellis.accounts import views as account_views
from trellis.api import api
from trellis.participants import invitations

urlpatterns = [
    path("", views.today, name="today"),
    path("accounts/", include("trellis.accounts.urls")),
    path("", include("trellis.portal.urls")),  # /me/: the participant's portal, old addresses
    path("", include("trellis.finder.urls")),  # /find/: the public program finder
    path("participants/", include("trellis.participants.urls")),
    # A participant's invitation link (a one-time token; docs/portal.md, "Accounts").
    path("invite/<str:token>/", invitations.accept_invitation, name="accept-invitation"),
    path("", include("trellis.scheduling.urls")),  # /schedule/… and the chart's Schedule tab
    path("programs/", include("trellis.programs.urls")),
    path("", include("trellis.compliance.urls")),  # /audit/…: the audit report
    path("worklist/", include("trellis.worklist.urls")),
    path("", include("trellis.measures.urls")),
    path("", include("trellis.plans.urls")),  # the chart's Plan tab, /plans/…
    path("", include("trellis.practice.urls")),  # /practice/… and the chart's Practice tab
    path("", include("trellis.notes.urls")),  # the chart's Notes tab, /notes/…
    path("meetings/", include("trellis.meetings.urls")),
    path("", include("trellis.transitions.urls")),  # discharge, summaries, aftercare
    path("", include("trellis.intake.urls")),  # /intake/… and the public /inquire/… form
    path("", include("trellis.notifications.urls")),  # /me/notifications/: the preferences
    path("", include("trellis.messaging.urls")),  # /me/messages/…, /messages/…, the chart tab
    path("", include("trellis.peers.urls")),  # /me/peers/…, /peers/moderation/…
    path("api/v1/", api.urls),
    # The admin signs in and out through Trellis's own pages (throttled, locked, audited).
    path("admin/login/", account_views.admin_sign_in),
    path("admin/logout/", account_views.sign_out),
    path("admin/", admin.site.urls),
]

handler400 = "trellis.views.bad_request"
handler403 = "trellis.views.permission_denied"
handler404 = "trellis.views.page_not_found"
handler500 = "trellis.views.server_error"
