from django.apps import AppConfig


class TransitionsConfig(AppConfig):
    name = "trellis.transitions"
    label = "transitions"

    def ready(self) -> None:
        # Everything transitions plugs into other apps' pages: plugins.py.
        from trellis.transitions import plugins

        plugins.register()
