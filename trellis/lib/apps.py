from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "trellis.lib"
    label = "lib"
