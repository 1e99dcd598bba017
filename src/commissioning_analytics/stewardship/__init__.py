"""Market stewardship (MKT-1, MKT-2, EQU-3): concentration, a contract's local footprint and the
health of specialist-led organisations, computed from plain records. No Django here."""
