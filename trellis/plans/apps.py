from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "trellis.plans"
    label = "plans"

    def ready(self) -> None:
        # Everything plans plugs into other apps' pages, registries and clock: plugins.py.
        from trellis.plans import plugins

        plugins.register()
