from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commissioning.accounts"
    label = "accounts"

    def ready(self) -> None:
        from commissioning.accounts import guards, sign_in_audit

        guards.connect()
        sign_in_audit.connect()
