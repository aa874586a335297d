from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "trellis.practice"
    label = "practice"
    verbose_name = "Practice"

    def ready(self) -> None:
        # Everything practice plugs into other apps (chart tab, plan progress): plugins.py.
        from trellis.practice import plugins

        plugins.register()
