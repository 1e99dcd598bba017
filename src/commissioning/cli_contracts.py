"""``commissioning contracts end|terminate REF --as EMAIL``: record how a contract came to a close
from the command line, with the same rules, transaction and audit record as its page and the
API (:mod:`commissioning.contracts.lifecycle`; LAW-1, PBR-1); ``commissioning contracts
statement REF`` prints its payment statement as its page and the API compute it (PBR-1, REF-1).

* ``commissioning contracts end REF --as EMAIL`` — its term is over (on or after its end date);
* ``commissioning contracts terminate REF --date YYYY-MM-DD --reason TEXT --as EMAIL`` — it was
  terminated early: its last day and why.
* ``commissioning contracts statement REF [--format text|json]`` — its payment statement, from
  its mechanism, its recorded referrals and its imported outcome results (read only).

``--as`` names the commissioner of the contract's body (or site administrator) who records it,
by email address; it is audited as theirs. A refusal prints one line per problem and exits 1,
with nothing written.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from commissioning.cli_args import setup_django

ACTIONS = {"end": "ended", "terminate": "terminated"}


def register(commands: Any) -> None:
    """Add ``contracts end``, ``contracts terminate`` and ``contracts statement`` to
    ``commands`` (``add_subparsers()``)."""
    contracts = commands.add_parser(
        "contracts",
        help="record that a contract ended or was terminated early; print its payment statement",
    )
    actions = contracts.add_subparsers(
        dest="contracts_action", metavar="ACTION", parser_class=type(contracts)
    )
    actions.required = True
    end = actions.add_parser("end", help="mark a contract ended: its term is over")
    terminate = actions.add_parser("terminate", help="record that a contract ended early")
    for parser in (end, terminate):
        parser.add_argument("reference", metavar="REF", help="the contract's reference")
        parser.add_argument(
            "--as",
            dest="actor",
            required=True,
            metavar="EMAIL",
            help="email address of the commissioner (or site administrator) recording it",
        )
    terminate.add_argument(
        "--date", required=True, metavar="YYYY-MM-DD", help="the last day the contract ran"
    )
    terminate.add_argument("--reason", required=True, help="why it ended early (published)")
    statement = actions.add_parser(
        "statement", help="print a contract's payment statement (recorded and imported figures)"
    )
    statement.add_argument("reference", metavar="REF", help="the contract's reference")
    statement.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (text)"
    )


def run(args: argparse.Namespace) -> int:
    setup_django()
    if args.contracts_action == "statement":
        return _statement(args.reference, args.format)
    from django.core.exceptions import PermissionDenied, ValidationError

    from commissioning.accounts.models import User
    from commissioning.contracts import access
    from commissioning.contracts.forms import ContractEndInputForm
    from commissioning.contracts.models import Contract
    from commissioning.contracts.presentation import ending_sentence

    prog = f"commissioning contracts {args.contracts_action}"

    def refuse(*lines: str) -> int:
        for line in lines:
            print(f"{prog}: error: {line}", file=sys.stderr)
        return 1

    contract = Contract.objects.filter(reference=args.reference).first()
    if contract is None:
        return refuse(f"no contract {args.reference}")
    actor = User.objects.filter(email__iexact=args.actor, is_active=True).first()
    if actor is None:
        return refuse(f"no active user with the email address {args.actor}")
    if not access.can_end_contract(actor, contract):
        return refuse(
            f"{args.actor} cannot end this contract: only the commissioners of its commissioning "
            "body can"
        )
    form = ContractEndInputForm(
        {
            "status": ACTIONS[args.contracts_action],
            "terminated_on": getattr(args, "date", None),
            "reason": getattr(args, "reason", ""),
        },
        contract=contract,
    )
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        form.record(actor)
    except PermissionDenied as error:
        return refuse(str(error))
    except ValidationError as error:
        return refuse(*(str(m) for messages in error.message_dict.values() for m in messages))
    print(ending_sentence(contract))
    return 0


def _statement(reference: str, output: str) -> int:
    """Print the statement the contract's page and API show; exit 1 for an unknown contract."""
    import json

    from commissioning.cli_payments import statement_text
    from commissioning.contracts import services
    from commissioning.contracts.models import Contract

    contract = Contract.objects.filter(reference=reference).first()
    if contract is None:
        print(f"commissioning contracts statement: error: no contract {reference}", file=sys.stderr)
        return 1
    computed = services.contract_statement(contract)
    if computed is None:
        print("Nothing has been recorded or imported for this contract yet, so nothing is due.")
        return 0
    if output == "json":
        print(json.dumps(services.statement_data(computed), indent=2))
        return 0
    merged = computed.merged
    print(statement_text(computed.mechanism, merged.observed, computed.statement))
    imported = list(merged.imported_events(computed.mechanism))
    print()
    print(f"Counted from the recorded referrals: {', '.join(merged.recorded) or 'nothing'}.")
    print(f"From the imported results: {', '.join([*imported, 'outcome results'])}.")
    if merged.outside_term:
        print(f"Recorded steps outside the contract's term, not paid for: {merged.outside_term}.")
    for item in computed.cited:  # PBR-2: results cited from published outcome studies
        against = "" if item.reference is None else f" against {item.reference}"
        print(
            f"The {item.citation.measure} result of period {item.citation.period} is the "
            f"published study {item.study.pk} ({item.study.title}, "
            f"{item.study.organisation.name}, {item.study_url}): {item.observed}{against}, "
            f"{item.cohort_size} people."
        )
    return 0
