"""Running Accord as a service: JSON logs with request ids, health and readiness, metrics, `accord doctor`.

Wiring above the domains and the queue (it reads their tables and pings their servers); the surfaces
(api/ops.py, cli/ops.py) only call it.
"""
