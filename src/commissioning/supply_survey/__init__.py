"""The annual supply-chain survey (SUP-4): once a year each sub-contractor of a prime's contracts
answers five questions about the prime, unattributably; the results are published per prime
only for groups of five or more, free text read only by the independent reviewer (ADR 0011)."""
