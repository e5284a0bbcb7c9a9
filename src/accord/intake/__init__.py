"""Messages from every channel; each one becomes or joins a case, nothing is dropped (P3)."""
