"""OCDS 1.1 releases, packages and their offline validation, without Django (LAW-1, LAW-2, PRO-9).

The pure half of :mod:`commissioning.opendata`: frozen dataclasses (:mod:`.data`) in, plain
JSON-serialisable dicts out. Nothing here imports Django or any other part of ``commissioning``
(the ``opendata-ocds-framework-free`` import contract checks it); reading the database is
:mod:`commissioning.opendata.sources`' job.

One builder module per notice. Every release carries a notice document whose ``noticeType`` is
its Procurement Act code (UK extension ``Document.noticeType``) beside the matching OCDS
``documentType``, in the section the notice belongs to, as Find a Tender publishes them:

======  =========================  ==============  =====================  ===================
notice  documentType               section         tag                    module
======  =========================  ==============  =====================  ===================
UK1     plannedProcurementNotice   planning        planning               :mod:`.pipeline`
UK2     marketEngagementNotice     planning        planning               :mod:`.engagement`
UK3     plannedProcurementNotice   tender          planning               :mod:`.tender`
UK4     tenderNotice               tender          tender                 :mod:`.tender`
UK12    tenderCancellationNotice   tender          tenderCancellation     :mod:`.tender`
UK6     awardNotice                awards          award                  :mod:`.award`
UK7     contractNotice             contracts       awardUpdate, contract  :mod:`.contract`
UK10    contractAmendmentNotice    contracts       contractAmendment      :mod:`.change`
UK9     implementationNotice       implementation  implementationUpdate   :mod:`.performance`
UK11    contractTerminationNotice  implementation  contractTermination    :mod:`.termination`
UK8     implementationNotice       implementation  implementation         :mod:`.payment`
UK17    implementationNotice       planning        implementation         :mod:`.compliance`
======  =========================  ==============  =====================  ===================

Beside them: :mod:`.common` (ids, dates, money, parties, notice documents), :mod:`.packaging`
(release and record packages, the compiled release), :mod:`.extensions` (the extensions every
package declares), :mod:`.validate` (libcoveocds, offline) and :mod:`.examples` (a synthetic
contracting process at every stage).

Ids are deterministic: the ``ocid`` is ``<prefix><reference>``, a release id is
``<ocid>-<notice code>-<UTC timestamp>``.
"""
