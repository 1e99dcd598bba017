"""Open data: every OCDS release the platform publishes, in one package (LAW-1, LAW-2, PRO-9).

* :mod:`.ocds` — the builders, one module per notice (UK1 pipeline, UK2 engagement, UK3/UK4/UK12
  tender, UK6 award, UK7 contract, UK11 contract termination), with their dataclasses, packages
  and offline validation. No Django.
* :mod:`.sources` — reads the platform's records (exercise, opportunity, award, contract) into
  those dataclasses, and keeps the notices served as published.
* :mod:`.publication` — the functions the rest of the platform calls: store a notice when it is
  published, a contract's notice status, the releases to serve.
* :mod:`.api` (the OCDS endpoints of the JSON API) and :mod:`.views` (the bulk downloads).

This file imports nothing, so importing the builders never loads Django.
"""
