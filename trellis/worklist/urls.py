from django.urls import path

from trellis.worklist import views

app_name = "worklist"
urlpatterns = [
    path("", views.my_work, name="list"),
    path("<uuid:alert_id>/", views.alert_detail, name="detail"),
    path("<uuid:alert_id>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("<uuid:alert_id>/follow-up/", views.alert_follow_up, name="follow-up"),
    path("<uuid:alert_id>/comment/", views.alert_comment, name="comment"),
    path("<uuid:alert_id>/reassign/", views.alert_reassign, name="reassign"),
    path("<uuid:alert_id>/complete/", views.task_complete, name="complete"),
    path("tasks/new/", views.task_new, name="task-new"),
    path("programs/<uuid:program_id>/on-call/", views.on_call, name="on-call"),
    path(
        "programs/<uuid:program_id>/on-call/<uuid:shift_id>/end/",
        views.on_call_end,
        name="on-call-end",
    ),
]
