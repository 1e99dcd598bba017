"""Django's PostgreSQL backend, kept within PostgreSQL's limit on a statement's parameters once
they are bound by the server (ADR 0012)."""
