from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "trellis.worklist"
    label = "worklist"

    def ready(self) -> None:
        # Everything worklist plugs into other apps' pages, registries and clock: plugins.py.
        from trellis.worklist import plugins

        plugins.register()
