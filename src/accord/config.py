"""Typed settings from `ACCORD_*` environment variables; bad values fail fast at start-up."""

from __future__ import annotations

import ipaddress
import os
import secrets
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
    secret_key: str = ""  # unset: a random key kept in <data_dir>/secret_key (mode 0600), made on first use
    base_url: str = "http://127.0.0.1:8000"
    workspace: str = "default"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "accord@localhost"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_tls: str = Field(default="none", pattern="^(starttls|ssl|none)$")
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, ge=0)
    max_message_chars: int = Field(default=100_000, ge=1000)
    max_title_chars: int = Field(default=200, ge=10)
    rate_limit: bool = True
    playbook_path: Path | None = None
    trusted_proxies: list[str] = []  # addresses whose X-Forwarded-For is believed (none by default)

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str | None) -> str | None:
        """Only SQLite and PostgreSQL are supported; say so at start-up rather than at first query."""
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("ACCORD_DATABASE_URL must start with sqlite or postgresql")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        """Each trusted proxy is an IP address or network (e.g. 10.0.0.0/8); a typo fails at start-up."""
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                problem = f"ACCORD_TRUSTED_PROXIES: '{item}' is not an IP address or network"
                raise ValueError(problem) from None
        return value

    @model_validator(mode="after")
    def _real_secret(self) -> Settings:
        """No default secret anywhere: a placeholder is refused, an unset key is generated per data dir."""
        if self.secret_key.strip() in PLACEHOLDER_SECRETS and self.secret_key:
            raise ValueError("ACCORD_SECRET_KEY is a well-known placeholder; set a real secret or unset it")
        if not self.secret_key:
            self.secret_key = _data_dir_secret(self.data_dir)
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL, defaulting to a SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'accord.db').resolve()}"

    @property
    def mail_domain(self) -> str:
        """The domain our Message-IDs live on: the part of ACCORD_SMTP_FROM after the @."""
        return self.smtp_from.rsplit("@", 1)[-1].strip("> ") or "localhost"

    @property
    def is_sqlite(self) -> bool:
        """True when the embedded SQLite database is in use."""
        return self.sqlalchemy_url.startswith("sqlite")


def _create_secret(path: Path) -> None:
    """Write a new key to a private temporary file, then link it in place: readers never see half a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_urlsafe(48))
    try:
        os.link(draft, path)
    except FileExistsError:  # another process made it first: use theirs
        pass
    finally:
        draft.unlink()


def _data_dir_secret(data_dir: Path) -> str:
    """The data directory's own random signing key, created once with mode 0600 (accord init, first run)."""
    path = data_dir.expanduser() / "secret_key"
    try:
        if not path.exists():
            _create_secret(path)
        key = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ValueError(f"ACCORD_SECRET_KEY is unset and {path} cannot be used ({exc.strerror})") from None
    if len(key) < 32:
        raise ValueError(f"{path} holds no usable secret; delete it to make a new one")
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (cleared by tests with `get_settings.cache_clear()`)."""
    return Settings()
