"""The portal's addresses, included at the site root: /me/ and the redirects from the
participant pages' old addresses (each keeps the rest of its path and its query string).
Staff addresses that share a prefix (/schedule/mine/, /notes/group/<id>/, /measures/…)
are not matched: only the participant's old paths are listed."""

from django.urls import path

from trellis.portal import family, family_messages, offline, views

app_name = "portal"

urlpatterns = [
    path("me/", views.home, name="home"),
    path("me/record/", views.record, name="record"),
    path("me/progress/", views.progress, name="progress"),
    # Guardians (docs/portal.md, "Guardians"): the adolescent's list and the guardian's pages.
    path("me/guardians/", family.my_guardians, name="my-guardians"),
    path("family/", family.family_home, name="family"),
    path("family/<uuid:participant_id>/", family.family_participant, name="family-participant"),
    path(
        "family/<uuid:participant_id>/messages/",
        family_messages.family_messages,
        name="family-messages",
    ),
    path(
        "family/<uuid:participant_id>/messages/new/",
        family_messages.family_message_new,
        name="family-message-new",
    ),
    path(
        "family/<uuid:participant_id>/messages/<uuid:thread_id>/",
        family_messages.family_message,
        name="family-message",
    ),
    # The language switcher, signed in or out (docs/portal.md, "Spanish").
    path("language/", views.language, name="language"),
    # Installable and offline (docs/portal.md, "Installable and offline").
    path("me/manifest.webmanifest", offline.manifest, name="manifest"),
    path("me/sw.js", offline.service_worker, name="sw"),
    path("me/offline/", offline.offline_page, name="offline"),
    path("me/offline/key/", offline.offline_key, name="offline-key"),
    # The old addresses (before the portal), kept for bookmarks and links in sent emails.
    path("participants/me/", views.moved("portal:record"), name="old-record"),
    path("schedule/me/", views.moved("scheduling:me"), name="old-schedule"),
    path("measures/me/", views.moved("measures:mine"), name="old-check-ins"),
    path("measures/me/<path:rest>", views.moved("measures:mine"), name="old-check-in"),
    path("plans/mine/", views.moved("plans:mine"), name="old-plan"),
    path("notes/group/mine/", views.moved("notes:group-mine"), name="old-group-notes"),
    path("notes/group/mine/<path:rest>", views.moved("notes:group-mine"), name="old-group-note"),
    path("practice/me/", views.moved("practice:my-practice"), name="old-practice"),
    path("practice/me/<path:rest>", views.moved("practice:my-practice"), name="old-practice-page"),
    path("my/aftercare/", views.moved("transitions:mine"), name="old-aftercare"),
]
