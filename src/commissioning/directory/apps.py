from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "commissioning.directory"
    label = "directory"
