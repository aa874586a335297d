"""Schedule pages under /schedule/, plus the chart's Schedule tab under /participants/."""

from django.urls import path

from trellis.scheduling import personal
from trellis.scheduling.views import attendance, hours, occurrences, rosters, series, week

app_name = "scheduling"
urlpatterns = [
    path("schedule/", week.week, name="week"),
    path("schedule/mine/", week.my_week, name="my-week"),
    path("schedule/mine/feed/", personal.my_feed, name="my-feed"),
    path("me/schedule/", personal.my_schedule, name="me"),
    path(
        "me/schedule/<uuid:series_id>/<str:occurrence_date>/notice/",
        personal.my_notice,
        name="my-notice",
    ),
    path("schedule/rooms/<uuid:room_id>/", week.room_week, name="room"),
    path("schedule/rooms/<uuid:room_id>/feed/", personal.room_feed, name="room-feed"),
    path("schedule/series/new/", series.series_new, name="series-new"),
    path("schedule/series/<uuid:series_id>/", series.series_detail, name="series"),
    path("schedule/series/<uuid:series_id>/edit/", series.series_edit, name="series-edit"),
    path("schedule/series/<uuid:series_id>/roster/", rosters.series_roster_add, name="roster-add"),
    path(
        "schedule/series/<uuid:series_id>/<str:occurrence_date>/",
        attendance.occurrence,
        name="occurrence",
    ),
    path(
        "schedule/series/<uuid:series_id>/<str:occurrence_date>/change/",
        occurrences.change,
        name="change",
    ),
    path(
        "schedule/series/<uuid:series_id>/<str:occurrence_date>/walk-in/",
        attendance.walk_in,
        name="walk-in",
    ),
    path(
        "schedule/series/<uuid:series_id>/<str:occurrence_date>/complete/",
        attendance.complete,
        name="complete",
    ),
    path(
        "schedule/series/<uuid:series_id>/<str:occurrence_date>/<uuid:episode_id>/mark/",
        attendance.mark,
        name="mark",
    ),
    path(
        "schedule/series/<uuid:series_id>/<str:occurrence_date>/<uuid:episode_id>/undo/",
        attendance.undo,
        name="undo",
    ),
    path("schedule/programs/<uuid:program_id>/attendance/", attendance.dashboard, name="dashboard"),
    path("schedule/programs/<uuid:program_id>/closures/", occurrences.closures, name="closures"),
    path("schedule/feeds/<str:feed_token>", personal.feed, name="feed"),
    path("participants/<uuid:public_id>/schedule/", personal.chart_schedule, name="chart-schedule"),
    path("participants/<uuid:public_id>/schedule/feed/", personal.chart_feed, name="chart-feed"),
    path(
        "participants/<uuid:public_id>/schedule/hours/",
        hours.hours_override,
        name="hours-override",
    ),
]
