"""Outcome studies in the web app: a provider uploads a cohort and sees a matched comparison
against the synthetic comparison pool (OUT-1, OUT-4; issue 6)."""
