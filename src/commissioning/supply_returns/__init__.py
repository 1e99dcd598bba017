"""Quarterly supply-chain returns: each contract's sub-contractors, their referrals and the money
paid to them in a quarter, drafted from the records, submitted by the prime and confirmed or
disputed by each sub-contractor (SUP-1)."""
