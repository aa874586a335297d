from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "trellis.meetings"
    label = "meetings"

    def ready(self) -> None:
        # Everything meetings plugs into other apps' pages, registries and clock: plugins.py.
        from trellis.meetings import plugins

        plugins.register()
