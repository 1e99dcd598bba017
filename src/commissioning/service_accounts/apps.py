from django.apps import AppConfig


class ServiceAccountsConfig(AppConfig):
    name = "commissioning.service_accounts"
    label = "service_accounts"
    verbose_name = "Organisation API tokens"
