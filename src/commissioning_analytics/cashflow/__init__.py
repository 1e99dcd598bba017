"""Cash flow in payment-by-results contracts: the working-capital stress test (PBR-5) and
the payments-compliance figures (LAW-3, SUP-3). Framework-free: numpy only."""
