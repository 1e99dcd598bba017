"""Contracts let for a lot, their payment mechanism and supply chain, and what was observed
(PBR-1 .. PBR-6). The money is computed by the framework-free core
(``commissioning_analytics.payments``, ``.chain``, ``.cashflow``)."""
