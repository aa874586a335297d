from django.urls import path

from trellis.participants import guardian_views, invitations, views

app_name = "participants"
urlpatterns = [
    path("", views.participant_index, name="list"),
    path("new/", views.participant_new, name="new"),
    path("<uuid:public_id>/", views.participant_chart, name="chart"),
    path("<uuid:public_id>/details/", views.participant_details, name="details"),
    path("<uuid:public_id>/care-team/", views.care_team_tab, name="care-team"),
    path(
        "<uuid:public_id>/portal-account/",
        invitations.portal_account_tab,
        name="portal-account",
    ),
    path(
        "<uuid:public_id>/portal-account/guardians/",
        guardian_views.guardians_change,
        name="guardians-change",
    ),
    path(
        "guardian-policy/<uuid:program_id>/",
        guardian_views.guardian_policy,
        name="guardian-policy",
    ),
    path(
        "<uuid:public_id>/planned-discharge/",
        views.planned_discharge,
        name="planned-discharge",
    ),
]
