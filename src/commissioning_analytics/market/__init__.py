"""Market measures and the synthetic market generator (MKT-1)."""
