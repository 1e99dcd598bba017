"""The exclusion grounds of the Procurement Act 2023 an organisation declares against (LAW-5):
the mandatory grounds (Schedule 6) and the discretionary grounds (Schedule 7), in plain words
for a volunteer treasurer. The keys are stored in each version's declarations, so never rename
one; add new grounds at the end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ground:
    key: str
    label: str
    hint: str
    mandatory: bool


MANDATORY = (
    Ground(
        "corruption",
        "Bribery or corruption",
        "Anyone connected with the organisation convicted of bribery, or of corruption in "
        "public office.",
        True,
    ),
    Ground(
        "organised_crime",
        "Organised crime",
        "Taking part in the activities of an organised crime group.",
        True,
    ),
    Ground(
        "terrorism",
        "Terrorism",
        "Convicted of a terrorism offence, or of funding terrorism.",
        True,
    ),
    Ground(
        "fraud_theft",
        "Fraud, theft or money laundering",
        "Convicted of fraud, theft, cheating the public revenue or money laundering.",
        True,
    ),
    Ground(
        "tax",
        "Tax offences and tax avoidance schemes",
        "Convicted of a tax offence, or a tax avoidance arrangement defeated in the last "
        "five years.",
        True,
    ),
    Ground(
        "slavery",
        "Modern slavery or human trafficking",
        "Convicted of a slavery or human trafficking offence, or under a slavery order.",
        True,
    ),
    Ground(
        "cartel",
        "Cartel offences",
        "Convicted of a cartel offence, or found to have agreed prices or shared out markets.",
        True,
    ),
    Ground(
        "national_security_mandatory",
        "A threat to national security (decided by a minister)",
        "A minister has decided the organisation, or someone connected with it, is a threat "
        "to national security.",
        True,
    ),
)

DISCRETIONARY = (
    Ground(
        "insolvency",
        "Insolvency or bankruptcy",
        "The organisation is insolvent, in administration or winding up, or has arranged "
        "with its creditors.",
        False,
    ),
    Ground(
        "poor_performance",
        "A past contract ended early or badly",
        "A public contract terminated for breach, damages paid, or a notice of poor "
        "performance in the last three years.",
        False,
    ),
    Ground(
        "labour_misconduct",
        "Breaking employment law",
        "Unpaid minimum wage, unlawful working conditions or a labour market enforcement order.",
        False,
    ),
    Ground(
        "environmental_misconduct",
        "Environmental harm",
        "Convicted of an environmental offence, or fined by an environmental regulator.",
        False,
    ),
    Ground(
        "professional_misconduct",
        "Professional misconduct",
        "Anyone connected with the organisation found guilty of serious professional "
        "misconduct, for example struck off by a regulator.",
        False,
    ),
    Ground(
        "unpaid_tax",
        "Unpaid tax or national insurance",
        "Tax or national insurance owed and not paid or arranged to be paid.",
        False,
    ),
    Ground(
        "competition_law",
        "Breaking competition law",
        "Found to have broken competition law in ways other than a cartel.",
        False,
    ),
    Ground(
        "improper_behaviour",
        "Acting improperly in a procurement",
        "Tried to influence a buyer's decision unfairly, or gained an unfair advantage, in a "
        "procurement.",
        False,
    ),
    Ground(
        "national_security_discretionary",
        "A possible threat to national security",
        "Anything that could make the organisation a threat to the United Kingdom's national "
        "security.",
        False,
    ),
)

ALL = MANDATORY + DISCRETIONARY
BY_KEY = {ground.key: ground for ground in ALL}
