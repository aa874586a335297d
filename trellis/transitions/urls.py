from django.urls import path

from trellis.transitions import views
from trellis.transitions.changes import mine as track_requests
from trellis.transitions.changes import views as changes

app_name = "transitions"

urlpatterns = [
    path("participants/<uuid:public_id>/discharge/", views.discharge, name="discharge"),
    path(
        "participants/<uuid:public_id>/episode-changes/",
        changes.episode_changes,
        name="episode-changes",
    ),
    path("discharge-summaries/<uuid:summary_id>/", views.summary_page, name="summary"),
    path(
        "discharge-summaries/<uuid:summary_id>/appointments/",
        views.add_appointment,
        name="add-appointment",
    ),
    path(
        "discharge-summaries/<uuid:summary_id>/appointments/remove/",
        views.remove_appointment,
        name="remove-appointment",
    ),
    path("discharge-summaries/<uuid:summary_id>/sign/", views.sign, name="sign"),
    path("discharge-summaries/<uuid:summary_id>/addenda/", views.add_addendum, name="addendum"),
    path("discharge-summaries/<uuid:summary_id>/print/", views.printable, name="print"),
    path("me/aftercare/", views.my_aftercare, name="mine"),
    path("me/schedule/track/", track_requests.my_track, name="my-track"),
    path(
        "me/schedule/track/withdraw/",
        track_requests.withdraw_track_request,
        name="my-track-withdraw",
    ),
]
