"""Cases, their lifecycle and their append-only timeline (P7)."""
