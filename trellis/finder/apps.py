from django.apps import AppConfig


class FinderConfig(AppConfig):
    name = "trellis.finder"
    label = "finder"
    verbose_name = "Program finder"
