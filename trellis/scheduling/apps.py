from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "trellis.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        # Everything scheduling plugs into other apps' pages, registries and clock: plugins.py.
        from trellis.scheduling import plugins

        plugins.register()
