"""Needs-assessment consultations and market engagement events before procurement (CYC-2, CYC-3,
USR-1): published questions, responses from organisations and from people with lived experience
(anonymous where they choose), meeting notes and a "you said, we did" summary."""
