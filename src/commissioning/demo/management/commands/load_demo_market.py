"""``manage.py load_demo_market``: load the deterministic synthetic market (and demo users)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commissioning.cli_args import DEFAULT_SEED, scale_value, seed_value
from commissioning.demo.code_of_conduct import load_demo_conduct_ratings
from commissioning.demo.contract_management import load_demo_contract_management
from commissioning.demo.contract_performance import load_demo_performance
from commissioning.demo.contracts import DemoContractsError, load_demo_contracts
from commissioning.demo.escalations import load_demo_escalations
from commissioning.demo.grants import load_demo_grants
from commissioning.demo.invoices import load_demo_invoices
from commissioning.demo.monitoring import load_demo_monitoring
from commissioning.demo.outcome_studies import load_demo_studies
from commissioning.demo.output import format_procurement, format_report, format_users
from commissioning.demo.procurement import DemoProcurementError, load_demo_procurement
from commissioning.demo.referrals import load_demo_referrals
from commissioning.demo.ringfences import load_demo_ring_fences
from commissioning.demo.services import (
    LoadError,
    create_demo_users,
    load_market,
    record_who_moved_the_exercises,
)
from commissioning.demo.supplier_information import load_demo_supplier_information
from commissioning.demo.supply_returns import load_demo_returns
from commissioning.demo.supply_survey import load_demo_surveys
from commissioning.demo.users import DemoUsersError
from commissioning.engagement.demo import load_demo_engagement
from commissioning.equality.demo import load_demo_assessments
from commissioning_analytics.market.synthetic import generate_market


class Command(BaseCommand):
    help = "Load the synthetic demo market (providers, commissioners, exercises) and demo users."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seed", type=seed_value, default=DEFAULT_SEED)
        parser.add_argument(
            "--scale", type=scale_value, default=1.0, help="1 = about 1,700 VCS organisations"
        )
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--replace",
            dest="replace",
            action="store_true",
            default=True,
            help="Remove the synthetic data loaded before, then load (the default).",
        )
        group.add_argument(
            "--keep",
            dest="replace",
            action="store_false",
            help="Leave synthetic data already loaded as it is; load only if there is none.",
        )
        parser.add_argument(
            "--with-users", action="store_true", help="Also create the demo users (one per role)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        market = generate_market(options["seed"], options["scale"])
        try:
            report = load_market(market, replace=options["replace"])
            self.stdout.write(format_report(report))
            if report.loaded:
                contracts = load_demo_contracts(seed=options["seed"])
                record_who_moved_the_exercises()  # the exercises the contracts add
                self.stdout.write(
                    f"Synthetic contracts with payment mechanisms: {len(contracts)} "
                    f"({', '.join(c.reference for c in contracts)})."
                )
                escalations = load_demo_escalations(seed=options["seed"])
                self.stdout.write(f"Synthetic escalations to probation: {len(escalations)}.")
                # Referrals first: the statements the invoices claim against count their events.
                referrals = load_demo_referrals(seed=options["seed"])
                self.stdout.write(
                    f"Synthetic referrals: {referrals['referrals']} with "
                    f"{referrals['events']} events."
                )
                invoices = load_demo_invoices(contracts, seed=options["seed"])
                self.stdout.write(f"Synthetic invoices with their payments: {invoices}.")
                returns = load_demo_returns()
                self.stdout.write(
                    f"Synthetic supply-chain returns: {returns['returns']} submitted, "
                    f"{returns['disputed']} with a disputed line."
                )
                surveys = load_demo_surveys()
                self.stdout.write(
                    f"Synthetic supply-chain surveys: {surveys['rounds']} with "
                    f"{surveys['answers']} answers."
                )
                managed = load_demo_contract_management()
                self.stdout.write(
                    f"Synthetic mediation requests: {managed['mediations']}; social value "
                    f"commitments: {managed['commitments']} with {managed['reports']} "
                    "quarterly reports."
                )
                performance = load_demo_performance(contracts)
                self.stdout.write(
                    f"Synthetic KPIs: {performance['kpis']}, assessments: "
                    f"{performance['assessments']}, contract changes: {performance['changes']}."
                )
                made = load_demo_engagement(seed=options["seed"])
                self.stdout.write(
                    f"Synthetic consultations: {made['consultations']} with "
                    f"{made['responses']} responses; engagement events: {made['events']}."
                )
                assessments = load_demo_assessments()
                self.stdout.write(f"Synthetic equality impact assessments: {assessments}.")
            if options["with_users"]:
                users = create_demo_users()
                if report.loaded:
                    recorded = load_demo_supplier_information()
                    self.stdout.write(f"Synthetic core supplier information: {recorded}.")
                    studies = load_demo_studies(seed=options["seed"])
                    self.stdout.write(f"Synthetic outcome studies: {len(studies)}.")
                    made = load_demo_procurement(seed=options["seed"])
                    self.stdout.write(format_procurement(made))
                    ratings = load_demo_conduct_ratings()
                    self.stdout.write(f"Synthetic code-of-conduct ratings: {ratings}.")
                    grants = load_demo_grants()
                    self.stdout.write(
                        f"Synthetic grant rounds: {grants['rounds']} with "
                        f"{grants['applications']} applications."
                    )
                    monitoring = load_demo_monitoring()
                    self.stdout.write(
                        f"Synthetic monitoring returns: {monitoring['returns']}, funders' needs: "
                        f"{monitoring['needs']}."
                    )
                    fenced = load_demo_ring_fences()
                    self.stdout.write(
                        f"Synthetic ring-fences: {fenced['ring_fences']}; prime's small-grants "
                        f"pots: {fenced['pots']}."
                    )
                self.stdout.write("")
                self.stdout.write("Demo users (demo only: every one has the same known password):")
                self.stdout.write(format_users(users))
        except (LoadError, DemoUsersError, DemoContractsError, DemoProcurementError) as error:
            raise CommandError(str(error)) from error
