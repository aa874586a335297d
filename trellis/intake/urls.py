"""Intake URLs, included at the site root. Views live in `views/` by part of the journey."""

from django.urls import path

from trellis.intake.views import funnel, recommendation, screening

app_name = "intake"
urlpatterns = [
    path("intake/<uuid:inquiry_id>/screening/", screening.screening, name="screening"),
    path("intake/<uuid:inquiry_id>/screening/enter/", screening.screen_now, name="screen-now"),
    path("intake/<uuid:inquiry_id>/screening/decide/", screening.decide, name="decide"),
    path("intake/s/done/", screening.battery_done, name="battery-done"),
    path("intake/s/<str:token>/", screening.battery_link, name="battery"),
    path(
        "intake/programs/<uuid:program_id>/level-of-care/",
        recommendation.rules,
        name="rules",
    ),
    path("intake/funnel/", funnel.funnel_page, name="funnel"),
]
