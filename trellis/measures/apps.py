from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "trellis.measures"
    label = "measures"

    def ready(self) -> None:
        # Everything measures plugs into other apps' pages, registries and clock: plugins.py.
        from trellis.measures import plugins

        plugins.register()
