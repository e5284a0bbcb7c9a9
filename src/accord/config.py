"""Typed settings from `ACCORD_*` environment variables; bad values fail fast at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev-secret-change-me"}


class Settings(BaseSettings):
    """All of Accord's configuration; one instance per process via `get_settings()`."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", extra="ignore")

    env: str = Field(default="development", pattern="^(development|test|production)$")
    data_dir: Path = Path(".accord")
    database_url: str | None = None
    queue_url: str | None = None
    secret_key: str = "dev-secret-change-me"
    base_url: str = "http://127.0.0.1:8000"
    workspace: str = "default"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "accord@localhost"
    max_message_chars: int = Field(default=100_000, ge=1000)
    max_title_chars: int = Field(default=200, ge=10)
    rate_limit: bool = True
    playbook_path: Path | None = None

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str | None) -> str | None:
        """Only SQLite and PostgreSQL are supported; say so at start-up rather than at first query."""
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("ACCORD_DATABASE_URL must start with sqlite or postgresql")
        return value

    @model_validator(mode="after")
    def _real_secret_outside_development(self) -> Settings:
        """Refuse placeholder secrets in production so signed links cannot be forged."""
        if self.env == "production" and self.secret_key in PLACEHOLDER_SECRETS:
            raise ValueError("ACCORD_SECRET_KEY must be set to a real secret in production")
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL, defaulting to a SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'accord.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        """True when the embedded SQLite database is in use."""
        return self.sqlalchemy_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (cleared by tests with `get_settings.cache_clear()`)."""
    return Settings()
