from django.urls import path

from trellis.intake.views import funnel

app_name = "intake"
urlpatterns = [
    path("intake/funnel/", funnel.funnel_page, name="funnel"),
]
