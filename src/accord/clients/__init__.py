"""Clients, their contacts, contract terms and the expectations agreed at onboarding (P1)."""
