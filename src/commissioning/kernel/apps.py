from django.apps import AppConfig


class KernelConfig(AppConfig):
    """An app only so that its widget templates and template tags are found."""

    name = "commissioning.kernel"
    label = "kernel"
