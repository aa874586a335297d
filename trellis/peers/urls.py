"""Peer-space pages: the participant's under /me/peers/, the moderators' under
/peers/moderation/ (views.py)."""

from django.urls import URLPattern

from trellis.peers import views

app_name = "peers"

urlpatterns: list[URLPattern] = views.urlpatterns
