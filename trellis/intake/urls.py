from django.urls import path

from trellis.intake.views import board, detail, public

app_name = "intake"
urlpatterns = [
    path("intake/", board.board, name="board"),
    path("intake/new/", board.inquiry_new, name="new"),
    path("intake/programs/<uuid:program_id>/settings/", board.intake_settings, name="settings"),
    path("intake/<uuid:inquiry_id>/", detail.detail, name="detail"),
    path("intake/<uuid:inquiry_id>/log/", detail.log_event, name="log"),
    path("intake/<uuid:inquiry_id>/assign/", detail.assign, name="assign"),
    path("intake/<uuid:inquiry_id>/status/", detail.change_status, name="status"),
    path("intake/<uuid:inquiry_id>/merge/", detail.merge, name="merge"),
    path("intake/<uuid:inquiry_id>/link/", detail.link, name="link"),
    # The program's public web form: no sign-in.
    path("inquire/<uuid:program_id>/", public.inquire, name="inquire"),
    path("inquire/<uuid:program_id>/thanks/", public.inquire_thanks, name="inquire-thanks"),
]
