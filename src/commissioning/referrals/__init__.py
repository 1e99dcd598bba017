"""Referrals under a contract (REF-1): probation and primes refer a pseudonymous person to a
provider's service; each step of the referral is dated, attributed and kept as an event. The
public sees counts only; protected characteristics are published only as suppressed counts."""
