from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "trellis.directory"
    label = "directory"
    verbose_name = "Treatment directory"
