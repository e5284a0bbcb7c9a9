"""Team members, roles and authentication."""
