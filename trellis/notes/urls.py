"""Note pages: the chart's Notes tab under /participants/<id>/notes/, the co-sign queue."""

from django.urls import path

from trellis.notes import views

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
]
