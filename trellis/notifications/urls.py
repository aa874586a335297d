from django.urls import path

from trellis.notifications import views

app_name = "notifications"

urlpatterns = [
    path("me/notifications/", views.preferences, name="mine"),
]
