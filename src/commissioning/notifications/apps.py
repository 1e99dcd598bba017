from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "commissioning.notifications"
    label = "notifications"
    verbose_name = "Notifications"
