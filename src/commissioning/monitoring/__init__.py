"""Report once: a provider's monitoring return for a quarter (people served, outputs, outcomes,
case studies), submitted once in one format and shown to each funder — a contract's
commissioners or prime, a grant's funder — in the parts it is entitled to (SUP-7)."""
