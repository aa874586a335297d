"""Measures URLs, included at the site root: the chart tab lives under the participant."""

from django.urls import path

from trellis.measures import views
from trellis.measures.setup import views as setup_views

app_name = "measures"
urlpatterns = [
    path("participants/<uuid:public_id>/measures/", views.chart_tab, name="chart-tab"),
    path("participants/<uuid:public_id>/measures/start/", views.start_checkin, name="start"),
    path(
        "measures/administrations/<uuid:administration_id>/hand-over/",
        views.hand_over,
        name="hand-over",
    ),
    path(
        "participants/<uuid:public_id>/measures/schedules/<uuid:schedule_id>/",
        setup_views.episode_override,
        name="override",
    ),
    path("measures/programs/<uuid:program_id>/", views.program_page, name="program"),
    path(
        "measures/programs/<uuid:program_id>/schedules/",
        setup_views.schedules,
        name="schedules",
    ),
    path(
        "measures/programs/<uuid:program_id>/schedules/<uuid:schedule_id>/",
        setup_views.schedule_edit,
        name="schedule-edit",
    ),
    path(
        "measures/programs/<uuid:program_id>/schedules/<uuid:schedule_id>/retire/",
        setup_views.schedule_retire,
        name="schedule-retire",
    ),
    path(
        "measures/responses/<uuid:response_id>/correct/",
        views.correct_response,
        name="correct",
    ),
    path(
        "measures/instruments/import/",
        setup_views.instrument_import,
        name="instrument-import",
    ),
    path("measures/c/<str:link>/", views.link_checkin, name="link"),
    path("measures/done/", views.checkin_done, name="done"),
    path("me/check-ins/", views.my_checkins, name="mine"),
    path("me/check-ins/<uuid:administration_id>/", views.my_checkin, name="my-checkin"),
    path("measures/tablet/", views.tablet, name="tablet"),
    path("measures/tablet/return/", views.tablet_return, name="tablet-return"),
]
