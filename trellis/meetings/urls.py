from django.urls import path

from trellis.meetings import views

app_name = "meetings"
_M = "<uuid:meeting_id>/"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("series/new/", views.series_new, name="series-new"),
    path(_M, views.meeting_detail, name="detail"),
    path(_M + "generate/", views.generate, name="generate"),
    path(_M + "items/", views.add_item, name="add-item"),
    path(_M + "discussion/", views.discuss, name="discuss"),
    path(_M + "decisions/", views.decide, name="decide"),
    path(_M + "attendance/", views.attendance, name="attendance"),
    path(_M + "sign/", views.sign, name="sign"),
    path(_M + "addenda/", views.addendum, name="addendum"),
]
