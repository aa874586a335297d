"""Message pages: the participant's under /me/messages/, staff's under /messages/ and the
chart's Messages tab (views.py)."""

from django.urls import URLPattern

from trellis.messaging import views

app_name = "messaging"

urlpatterns: list[URLPattern] = views.urlpatterns
