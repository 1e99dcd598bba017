from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "commissioning.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self) -> None:
        # The payment statement counts fee-bearing events from the recorded referrals; contracts
        # sits below referrals in the layers, so referrals hands it the source (PBR-1, REF-1).
        from commissioning.contracts import recorded
        from commissioning.referrals.queries import payable_steps, records_version

        recorded.register(payable_steps, records_version)
