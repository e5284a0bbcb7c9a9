"""Backups, restores and whole-workspace JSON export/import (nothing is ever lost)."""
