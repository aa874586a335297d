from django.urls import path

from trellis.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_index, name="list"),
    path("<uuid:program_id>/", views.program_detail, name="detail"),
]
