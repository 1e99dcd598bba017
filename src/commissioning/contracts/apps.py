from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "commissioning.contracts"
    label = "contracts"
    verbose_name = "Contracts"

    def ready(self) -> None:
        # The study page names the contracts whose payments rest on it, and a cited study is not
        # withdrawn; outcome studies sit below contracts, so contracts registers (PBR-2).
        from commissioning.contracts.citations import contracts_citing
        from commissioning.outcomes_web import citations

        citations.register(contracts_citing)
