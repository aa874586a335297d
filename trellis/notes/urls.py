"""Note pages: the chart's Notes tab under /participants/<id>/notes/, the co-sign queue."""

from django.urls import path

from trellis.notes import views
from trellis.notes.group import views as group_views

app_name = "notes"
_NOTE = "participants/<uuid:public_id>/notes/<uuid:note_id>/"
urlpatterns = [
    path("participants/<uuid:public_id>/notes/", views.notes_tab, name="tab"),
    path("participants/<uuid:public_id>/notes/new/", views.note_new, name="new"),
    path(_NOTE, views.note_detail, name="detail"),
    path(_NOTE + "edit/", views.note_edit, name="edit"),
    path(_NOTE + "autosave/", views.note_autosave, name="autosave"),
    path(_NOTE + "sign/", views.note_sign, name="sign"),
    path(_NOTE + "addenda/", views.note_addendum, name="addendum"),
    path("notes/cosign/", views.cosign_queue, name="cosign-queue"),
    path("notes/cosign/<uuid:note_id>/", views.cosign, name="cosign"),
    path("notes/cosign/group/<uuid:group_note_id>/", group_views.group_cosign, name="group-cosign"),
    # Group notes: started from an occurrence of the schedule (its series and original date).
    path(
        "notes/group/start/<uuid:series_id>/<str:occurrence_date>/",
        group_views.group_start,
        name="group-start",
    ),
    path("me/group-notes/", group_views.my_group_notes, name="group-mine"),
    path("me/group-notes/<uuid:entry_id>/", group_views.my_group_note, name="group-mine-entry"),
    path("notes/group/<uuid:group_note_id>/", group_views.group_note, name="group"),
    path("notes/group/<uuid:group_note_id>/part/", group_views.group_part_save, name="group-part"),
    path(
        "notes/group/<uuid:group_note_id>/entries/<uuid:entry_id>/",
        group_views.group_entry_save,
        name="group-entry",
    ),
    path("notes/group/<uuid:group_note_id>/sign/", group_views.group_sign, name="group-sign"),
    path(
        "notes/group/<uuid:group_note_id>/addenda/",
        group_views.group_addendum,
        name="group-addendum",
    ),
    path(
        "participants/<uuid:public_id>/notes/group/<uuid:entry_id>/",
        group_views.chart_group_entry,
        name="chart-group-entry",
    ),
]
