from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "trellis.participants"
    label = "participants"
