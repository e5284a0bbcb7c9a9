"""Accord: a self-hosted client conflict resolution desk."""

__version__ = "0.1.0"
