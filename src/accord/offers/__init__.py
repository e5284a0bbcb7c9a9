"""Offers: pre-approved solutions within limits, haggling warnings, ending relationships (P19-P21)."""
