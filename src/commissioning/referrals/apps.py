from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "commissioning.referrals"
    label = "referrals"
    verbose_name = "Referrals"
