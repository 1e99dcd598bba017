from django.apps import AppConfig


class SocialValueConfig(AppConfig):
    name = "commissioning.social_value"
    label = "social_value"
    verbose_name = "Social value promised and delivered"
