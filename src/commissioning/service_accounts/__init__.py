"""Organisation API tokens (service accounts): a case-management system acts for one organisation
through the API, on a named, revocable token its administrators made (REF-1, REF-2)."""
