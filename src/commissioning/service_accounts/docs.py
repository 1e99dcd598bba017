"""The OpenAPI description's paragraph on organisation API tokens (REF-1, REF-2)."""

TOKENS_DOC = (
    "**Organisation API tokens (service accounts).** An organisation's administrators make "
    "named tokens on the organisation's *API tokens* page (linked from its directory profile). "
    "A token is shown once; only a fingerprint of it is kept. Send it as "
    "`Authorization: Bearer cst_…`: the request then acts for that one organisation, and no "
    "other, on the endpoints that accept a token (escalations and referrals: their security "
    "lists `OrganisationToken`). "
    "An unknown or revoked token is refused with 401; a token acting outside its organisation "
    "with 403. Every write made with a token is recorded in the audit trail against it. "
    "See docs/service-accounts.md."
)
