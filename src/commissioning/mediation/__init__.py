"""Mediation between a sub-contractor and its prime, through the independent reviewer (SUP-3)."""
