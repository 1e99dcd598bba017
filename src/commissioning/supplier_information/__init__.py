"""Core supplier information, recorded once and reused by every bid (LAW-5; Procurement
Regulations 2024 reg. 6)."""
