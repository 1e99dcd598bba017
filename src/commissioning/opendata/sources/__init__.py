"""The platform's records as the OCDS builders' dataclasses (LAW-1, LAW-2, LAW-4, PRO-9).

The half of :mod:`commissioning.opendata` that reads the database: each module maps one record
onto :mod:`commissioning.opendata.ocds.data` and calls that notice's builder. Nothing here is
called from outside opendata: feature apps, the API and the bulk files go through
:mod:`commissioning.opendata.publication`.

==============  ==================================================  =================
module          record                                              notices
==============  ==================================================  =================
``exercise``    a commissioning exercise (engagement, estimate)     UK1, UK2
``opportunity`` an opportunity (lots, criteria, dates, questions)   UK3, UK4, UK12
``award``       a lot's award decision, or a contract's own award   UK6 (and UK7's)
``contract``    a contract (value, term, KPIs, how it ended)        UK7, UK11
``stored``      notices kept as published (UK1, UK3)                served as stored
``common``      ocid prefix, organisations as parties, lots, terms  —
==============  ==================================================  =================
"""
