from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "trellis.notes"
    label = "notes"

    def ready(self) -> None:
        # Everything notes plugs into other apps' pages, registries and clock: plugins.py.
        from trellis.notes import plugins

        plugins.register()
