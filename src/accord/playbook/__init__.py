"""The written resolution plan (P2): YAML playbook, per-case step runs, advisors, export."""
