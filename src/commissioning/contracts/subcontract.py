"""A model sub-contract in plain English (SUP-3, SUP-1, PBR-4, PBR-6): what one sub-contractor
agreed, built from the contract's payment mechanism (its terms in ``supply_chain``), what the
bid promised it (its :class:`~commissioning.contracts.models.ContractParty`) and the contract's
KPIs, so a small charity signs what it agreed rather than a prime's boilerplate (the "model
service level contracts" of seed 003 §15.6).

:func:`model_subcontract` builds a plain :class:`ModelSubcontract`; the page and the PDF
(:mod:`.subcontract_pdf`) both show it, so they say the same words and the same figures. Where
the mechanism or the bid recorded nothing, the document says plainly that it was not agreed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from commissioning.contracts import services
from commissioning.contracts.describe import (
    FREQUENCY_WORDS,
    PAYMENT_KINDS,
    attributed_share,
    party_name,
    payment_share,
    period_word,
    share_words,
)
from commissioning.contracts.models import Contract, ContractParty
from commissioning_analytics.payments.model import Mechanism, Role, SubcontractTerms
from commissioning_analytics.payments.money import percent, pounds, to_penny

NOT_AGREED = "Not agreed"


@dataclass(frozen=True)
class Clause:
    """One numbered part of the model sub-contract."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ModelSubcontract:
    contract_reference: str
    contract_title: str
    party_id: str
    subcontractor: str
    prime: str
    commissioner: str
    is_synthetic: bool
    key_terms: tuple[tuple[str, str], ...]
    clauses: tuple[Clause, ...]

    @property
    def title(self) -> str:
        return f"Model sub-contract between {self.prime} and {self.subcontractor}"

    @property
    def filename(self) -> str:
        return f"model-subcontract-{self.contract_reference}-{self.party_id}.pdf"


@dataclass(frozen=True)
class Subcontractor:
    """A sub-contractor of the mechanism: its id, its name (its directory entry's where it is
    linked) and its organisation's primary key (``None`` when not linked)."""

    party_id: str
    name: str
    organisation_id: int | None


def subcontractors(contract: Contract, mechanism: Mechanism) -> list[Subcontractor]:
    """The mechanism's sub-contractors, in the order it lists them."""
    links = {p.party_id: p for p in contract.parties.select_related("organisation")}
    found = []
    for party in mechanism.parties:
        if party.role != Role.SUBCONTRACTOR:
            continue
        link = links.get(party.id)
        organisation = link.organisation if link is not None else None
        found.append(
            Subcontractor(
                party.id,
                organisation.name if organisation is not None else party.name,
                organisation.pk if organisation is not None else None,
            )
        )
    return found


def model_subcontract(contract: Contract, party_id: str) -> ModelSubcontract:
    """The model sub-contract of sub-contractor ``party_id`` of ``contract``; ``LookupError``
    when the mechanism has no sub-contractor with that id."""
    mechanism = services.parsed(contract).mechanism
    sub = next((s for s in subcontractors(contract, mechanism) if s.party_id == party_id), None)
    if sub is None:
        raise LookupError(party_id)
    link = contract.parties.filter(party_id=party_id).first()
    terms = next((t for t in mechanism.supply_chain if t.subcontractor == party_id), None)
    builder = _Builder(contract, mechanism, terms, link, sub.name)
    return ModelSubcontract(
        contract_reference=contract.reference,
        contract_title=contract.title,
        party_id=party_id,
        subcontractor=sub.name,
        prime=contract.prime.name,
        commissioner=contract.commissioning_body.name,
        is_synthetic=contract.is_synthetic,
        key_terms=builder.key_terms(),
        clauses=builder.clauses(),
    )


class _Builder:
    """The sentences and figures of one model sub-contract."""

    def __init__(
        self,
        contract: Contract,
        mechanism: Mechanism,
        terms: SubcontractTerms | None,
        link: ContractParty | None,
        name: str,
    ) -> None:
        self.contract = contract
        self.mechanism = mechanism
        self.terms = terms
        self.link = link
        self.name = name
        self.prime = contract.prime.name

    # Figures -----------------------------------------------------------------------------

    def service_fee_a_year(self) -> Decimal | None:
        """The service fee passed to the sub-contractor a year, after the management fee."""
        fee, terms = self.mechanism.service_fee, self.terms
        if fee is None or terms is None:
            return None
        if terms.service_fee_value is not None:
            return terms.service_fee_value
        return to_penny(fee.annual_value * terms.service_fee_share * (1 - terms.management_fee))

    def at_risk_a_year(self) -> Decimal | None:
        """The most of its service fee a year that depends on results (PBR-4): the at-risk
        money it bears, net of the management fee (``SubcontractTerms.at_risk_borne``)."""
        fee, terms = self.mechanism.service_fee, self.terms
        if fee is None or fee.at_risk is None or terms is None:
            return None
        return to_penny(fee.annual_value * fee.at_risk.share * terms.at_risk_borne)

    def key_terms(self) -> tuple[tuple[str, str], ...]:
        terms, link = self.terms, self.link
        services_text = link.services.strip() if link is not None else ""
        referrals = link.promised_referrals_per_year if link is not None else None
        fee = self.service_fee_a_year()
        at_risk = self.at_risk_a_year()
        rows = [
            ("Services", services_text or NOT_AGREED),
            ("Referrals expected a year", NOT_AGREED if referrals is None else f"{referrals:,}"),
            ("Service fee passed to you a year", NOT_AGREED if fee is None else pounds(fee)),
        ]
        if terms is None:
            rows.append(("Shares of the payments", NOT_AGREED))
        else:
            if self.mechanism.outcome_payments:
                rows.append(("Share of outcome payments", share_words(terms, "outcome", "your")))
            if self.mechanism.volume_fees:
                rows.append(("Share of volume fees", share_words(terms, "volume", "your")))
            rows += [
                ("Management fee kept by the prime", percent(terms.management_fee)),
                ("Share of your at-risk money you carry", percent(terms.at_risk_share)),
            ]
        rows += [
            (
                "Service fee at risk a year",
                "None" if at_risk is None or at_risk == 0 else f"Up to {pounds(at_risk)}",
            ),
            (
                "You are paid within",
                NOT_AGREED
                if terms is None
                else f"{terms.payment_terms_days} days of the prime's money falling due",
            ),
            (
                "Minimum contract value",
                NOT_AGREED
                if terms is None or terms.minimum_contract_value is None
                else f"{pounds(terms.minimum_contract_value)} over the term",
            ),
        ]
        return tuple(rows)

    # Clauses -----------------------------------------------------------------------------

    def clauses(self) -> tuple[Clause, ...]:
        return (
            self._parties(),
            self._services(),
            self._referrals(),
            self._fees(),
            self._risk(),
            self._payment(),
            self._minimum(),
            self._monitoring(),
            self._disputes(),
        )

    def _parties(self) -> Clause:
        contract = self.contract
        return Clause(
            "The parties and the contract",
            (
                f"This sub-contract is between {self.prime} (the prime) and {self.name} (the "
                f"sub-contractor). The sub-contractor delivers services under contract "
                f"{contract.reference}, {contract.title}, which "
                f"{contract.commissioning_body.name} let to the prime. That contract runs from "
                f"{contract.start_date:%-d %B %Y} to {contract.end_date:%-d %B %Y}.",
                "Every term below is taken from what was agreed: the contract's payment "
                "mechanism and the prime's bid. Where nothing was agreed, it says so; agree "
                "it in writing before you sign.",
            ),
        )

    def _services(self) -> Clause:
        link = self.link
        services_text = link.services.strip() if link is not None else ""
        role = link.role_as_bid.strip() if link is not None else ""
        paragraphs = [
            f"The sub-contractor provides: {services_text}"
            if services_text
            else "The services were not recorded with the bid: they were not agreed."
        ]
        if role:
            paragraphs.append(f"Its role, in the bid's own words: {role}")
        return Clause("Services", tuple(paragraphs))

    def _referrals(self) -> Clause:
        link = self.link
        referrals = link.promised_referrals_per_year if link is not None else None
        value = link.promised_value_per_year if link is not None else None
        paragraphs = [
            f"The prime expects to refer {referrals:,} "
            f"{'person' if referrals == 1 else 'people'} a year to the sub-contractor, as its "
            "bid promised."
            if referrals is not None
            else "No number of referrals was agreed: the bid promised none."
        ]
        if value is not None:
            paragraphs.append(
                f"The bid promised the sub-contractor work worth {pounds(value)} a year."
            )
        paragraphs.append(
            "Referrals are recorded on this platform, so both parties and the commissioner see "
            "how many were made against this number."
        )
        return Clause("Referrals expected", tuple(paragraphs))

    def _fees(self) -> Clause:
        mechanism, terms = self.mechanism, self.terms
        if terms is None:
            return Clause(
                "Fees and outcome payments",
                (
                    "The payment mechanism gives the sub-contractor no share of the contract's "
                    "payments: no fees or outcome shares were agreed.",
                ),
            )
        paragraphs = []
        fee = mechanism.service_fee
        if fee is not None:
            timing = "in advance" if fee.timing == "advance" else "in arrears"
            paragraphs.append(
                f"{party_name(mechanism, fee.payer)} pays the prime a service fee of "
                f"{pounds(fee.annual_value)} a year, "
                f"{FREQUENCY_WORDS.get(fee.frequency, fee.frequency)}, {timing}."
            )
            passed = self.service_fee_a_year()
            if terms.service_fee_value is not None:
                paragraphs.append(
                    f"The prime passes {pounds(terms.service_fee_value)} a year of it to the "
                    "sub-contractor, after its management fee, in the same instalments."
                )
            elif terms.service_fee_share and passed is not None:
                paragraphs.append(
                    f"The prime passes on {percent(terms.service_fee_share)} of each service fee "
                    f"payment it receives, less its management fee: {pounds(passed)} a year."
                )
            else:
                paragraphs.append("The sub-contractor gets no share of the service fee.")
        if mechanism.outcome_payments:
            paragraphs.append(_share_clause(terms, "outcome"))
        if mechanism.volume_fees:
            paragraphs.append(_share_clause(terms, "volume"))
        if any(attributed_share(terms, kind) for kind in PAYMENT_KINDS):
            paragraphs.append(
                "Its own participants are the people referred to the sub-contractor's service "
                "under this contract. A payment whose records do not say whose participants "
                "earned it is not shared, and the statement of payments says so."
            )
        paragraphs.append(
            f"The prime keeps a management fee of {percent(terms.management_fee)} of the "
            "sub-contractor's share of each payment."
            if terms.management_fee
            else "The prime keeps no management fee."
        )
        return Clause("Fees and outcome payments", tuple(paragraphs))

    def _risk(self) -> Clause:
        mechanism, terms = self.mechanism, self.terms
        fee = mechanism.service_fee
        risk = fee.at_risk if fee is not None else None
        paragraphs = []
        if fee is None or risk is None:
            paragraphs.append("None of the service fee is at risk.")
        else:
            if risk.mode == "clawback":
                paragraphs.append(
                    f"{percent(risk.share)} of the service fee is at risk: each result on "
                    f"“{risk.measure}” below {risk.target} makes the prime repay that share of a "
                    "year's fee to the commissioner."
                )
            else:
                paragraphs.append(
                    f"{percent(risk.share)} of each service fee instalment is held back from the "
                    f"prime until the next result on “{risk.measure}” reaches {risk.target}; if it "
                    "does not, the money held back is lost."
                )
            at_risk = self.at_risk_a_year()
            if terms is None or not at_risk:
                paragraphs.append(
                    "The prime carries all of that risk: the sub-contractor's payments do not "
                    "depend on the result."
                )
            else:
                depends = (
                    "may have to be repaid to the prime"
                    if risk.mode == "clawback"
                    else "is paid only if the result is met"
                )
                rest = (
                    "It never repays more than it was paid: the prime bears the part of the "
                    "clawback on its own management fee."
                    if risk.mode == "clawback"
                    else "The prime carries the rest of that risk and passes the rest of the "
                    "sub-contractor's share on whatever the result."
                )
                paragraphs.append(
                    f"The sub-contractor carries {percent(terms.at_risk_share)} of its share of "
                    f"that risk: up to {pounds(at_risk)} a year of its service fee {depends}. "
                    + rest
                )
        earned = [
            words
            for words, kind, paid in (
                ("outcome payments", "outcome", mechanism.outcome_payments),
                ("volume fees", "volume", mechanism.volume_fees),
            )
            if terms is not None and payment_share(terms, kind) and paid
        ]
        if earned:
            paragraphs.append(
                f"{' and '.join(earned).capitalize()} are paid only when the outcomes or events "
                "they pay for happen: the sub-contractor's share of them is not guaranteed."
            )
        return Clause("What is at risk", tuple(paragraphs))

    def _payment(self) -> Clause:
        terms = self.terms
        paragraphs = [
            f"The funders pay the prime {self.mechanism.payment_terms_days} days after each "
            "amount falls due."
        ]
        paragraphs.append(
            f"The prime pays the sub-contractor its share within {terms.payment_terms_days} days "
            "of the day the prime's own money falls due."
            if terms is not None
            else "No payment terms were agreed for the sub-contractor."
        )
        paragraphs.append(
            "Invoices and payments are recorded on this platform, so both parties and the "
            "commissioner see whether payment was on time."
        )
        return Clause("Payment terms", tuple(paragraphs))

    def _minimum(self) -> Clause:
        terms = self.terms
        if terms is None or terms.minimum_contract_value is None:
            return Clause(
                "Minimum contract value",
                (
                    "No minimum contract value was agreed: if few people are referred, the "
                    "sub-contractor is paid only what it earns.",
                ),
            )
        word = period_word(self.mechanism)
        term = self.mechanism.term_periods
        return Clause(
            "Minimum contract value",
            (
                f"The prime guarantees the sub-contractor at least "
                f"{pounds(terms.minimum_contract_value)} over the term of {term} "
                f"{word}{'' if term == 1 else 's'}, built up evenly: by the end of each {word} "
                "it has been paid at least that sum's share of the term so far.",
                f"The prime tops up any shortfall within {terms.payment_terms_days} days of the "
                f"end of the {word}. If the sub-contractor later earns more, earlier top-ups are "
                "netted off, so over the term it gets the greater of what it earned and the "
                "minimum.",
            ),
        )

    def _monitoring(self) -> Clause:
        contract = self.contract
        kpis = list(contract.kpis.all())
        if kpis:
            paragraphs = [
                "The commissioner assesses the contract against these measures at least once a "
                "year; the prime may ask the sub-contractor for the figures it needs for them:"
            ]
            paragraphs += [
                f"{kpi.name}: {kpi.measure.rstrip('.')}. Target: {kpi.target}. Assessed "
                f"{kpi.get_frequency_display().lower()}, from "
                f"{kpi.get_data_source_display()[0].lower()}"
                f"{kpi.get_data_source_display()[1:]}."
                for kpi in kpis
            ]
        elif contract.is_light_touch and contract.no_kpis_rationale:
            paragraphs = [
                "The contract is light-touch and sets no performance measures: "
                f"{contract.no_kpis_rationale}"
            ]
        else:
            paragraphs = ["No performance measures have been set on the contract yet."]
        paragraphs += [
            "Each quarter the prime publishes a supply-chain return with the referrals and "
            "payments of each sub-contractor; the sub-contractor confirms or disputes its own "
            "line.",
            "No other monitoring was agreed in the payment mechanism or the bid.",
        ]
        return Clause("Monitoring asked", tuple(paragraphs))

    def _disputes(self) -> Clause:
        return Clause(
            "Disputes and mediation",
            (
                "A disputed invoice is recorded on this platform with its reason; the time to "
                "pay it runs from the day the dispute is resolved.",
                "A line of the quarterly supply-chain return the sub-contractor disagrees with is "
                "disputed there with its reason, which the prime, the commissioner and the "
                "independent reviewers see.",
                "A concern about how the prime treats its supply chain can be raised "
                "anonymously with the independent reviewers, who may refer it to a regulator "
                "or to mediation.",
                "The agreed terms name no mediator.",
            ),
        )


def _share_clause(terms: SubcontractTerms, kind: str) -> str:
    """The fees clause's sentence on outcome payments or volume fees, in plain English."""
    plural, single = PAYMENT_KINDS[kind]
    attributed = attributed_share(terms, kind)
    if attributed:
        return (
            f"The sub-contractor gets {percent(attributed)} of the {plural} its own "
            "participants earn, less its management fee; the prime keeps the rest of them. "
            f"{plural.capitalize()} earned by the prime's or other sub-contractors' "
            "participants are not shared with it."
        )
    share = payment_share(terms, kind)
    if share:
        return (
            f"The sub-contractor gets {percent(share)} of every {single} the prime receives, "
            "less its management fee."
        )
    return f"The sub-contractor gets no share of the {plural}."
