from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "trellis.participants"
    label = "participants"

    def ready(self) -> None:
        # Everything participants plugs into other apps' pages, registries and clock: plugins.py.
        from trellis.participants import plugins

        plugins.register()
