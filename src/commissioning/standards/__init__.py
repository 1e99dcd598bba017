"""National standards for commissioning bodies, computed from the records (MKT-3)."""
