"""Learning from conflicts: what caused them, whose fault, what they cost, who stayed (P24)."""
