"""Payment-by-Results mechanisms as data, and the payments they produce (PBR-1 .. PBR-4, PBR-6).

- :mod:`.loader` reads and validates a mechanism (format version 1,
  ``schema/mechanism.schema.json``) into frozen dataclasses (:mod:`.model`); :mod:`.observed`
  does the same for observed volumes and outcomes (``schema/observed.schema.json``).
- :mod:`.calculate` computes every payment each party is owed per period, as a
  :class:`~.statement.Statement` whose lines explain themselves.

Framework-free: no Django. The format is documented in ``docs/payments.md``.
"""

from commissioning_analytics.payments.calculate import calculate
from commissioning_analytics.payments.errors import FieldError, PaymentsFormatError
from commissioning_analytics.payments.loader import (
    example_names,
    load_example,
    load_mechanism,
    mechanism_schema,
    parse_mechanism,
)
from commissioning_analytics.payments.model import Mechanism
from commissioning_analytics.payments.observed import Observed, load_observed, parse_observed
from commissioning_analytics.payments.statement import PaymentLine, Statement

__all__ = [
    "FieldError",
    "Mechanism",
    "Observed",
    "PaymentLine",
    "PaymentsFormatError",
    "Statement",
    "calculate",
    "example_names",
    "load_example",
    "load_mechanism",
    "load_observed",
    "mechanism_schema",
    "parse_mechanism",
    "parse_observed",
]
