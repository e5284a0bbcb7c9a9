"""What a running Accord depends on, checked one by one with a short timeout and a reason in plain words.

`/readyz` and `accord doctor` share these checks, so a load balancer and a person see the same reason
(issue 23 item 5). Each check returns a Finding; none raises.
"""

from __future__ import annotations

import os
import re
import smtplib
import sqlite3
import ssl
from dataclasses import dataclass
from pathlib import Path

import redis
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from accord.config import Settings
from accord.db import make_engine
from accord.migrate import alembic_config

TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Finding:
    """One check: its name, whether it passed, what was found, and what to do when it did not."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def _where(settings: Settings) -> str:
    return make_url(settings.sqlalchemy_url).render_as_string(hide_password=True)


def database(engine: Engine, settings: Settings) -> Finding:
    """The database answers a trivial query (a missing SQLite file is reported, not created)."""
    url = make_url(settings.sqlalchemy_url)
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        return Finding("database", False, f"no database file at {url.database}", "run `accord init`")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = (str(getattr(exc, "orig", exc)).strip().splitlines() or ["no reason given"])[0][:200]
        return Finding(
            "database",
            False,
            f"cannot reach the database at {_where(settings)}: {reason}",
            "check ACCORD_DATABASE_URL (host, port, user, database name) and that the server is running",
        )
    return Finding("database", True, f"reachable at {_where(settings)}")


def missing_heads(applied: set[str]) -> set[str]:
    """Heads of the migrations folder not yet applied. Alembic stores only the tips it reached; a tip
    implies its ancestors and what it `depends_on` (0016 implies 0002), so walk down from each tip."""
    script = ScriptDirectory.from_config(alembic_config())
    reached: set[str] = set()
    todo = [r for r in applied if r]
    while todo:
        revision = todo.pop()
        if revision in reached:
            continue
        reached.add(revision)
        found = script.get_revision(revision)
        if found is not None:
            todo.extend(found._all_down_revisions)  # down revisions and dependencies
    return set(script.get_heads()) - reached


def migrations(engine: Engine) -> Finding:
    """Every migration branch is applied up to its head."""
    fix = "run `accord init` (it applies the migrations) with the same ACCORD_DATABASE_URL"
    try:
        with engine.connect() as conn:
            applied = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        return Finding("migrations", False, "the database has no schema yet", fix)
    try:
        missing = missing_heads(applied)
    except RevisionError as exc:  # a revision this folder does not know (a newer Accord wrote it)
        return Finding("migrations", False, f"unknown revision in the database: {exc}", fix)
    if missing:
        return Finding("migrations", False, f"not at head; missing {', '.join(sorted(missing))}", fix)
    return Finding("migrations", True, "every migration applied")


def redis_client(url: str) -> redis.Redis:
    """A client that gives up quickly: a readiness probe must answer within its own timeout."""
    return redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S)


def queue_name() -> str:
    """The queue's name as the worker uses it (ACCORD_QUEUE_NAME separates deployments on one Redis)."""
    return os.environ.get("ACCORD_QUEUE_NAME", "accord")


def _is_redis(url: str | None) -> bool:
    return bool(url and url.startswith(("redis://", "rediss://", "unix://")))


def queue(settings: Settings) -> Finding:
    """Redis answers PING, or (no ACCORD_QUEUE_URL) the queue file's folder is writable."""
    url = settings.queue_url
    if _is_redis(url):
        assert url is not None
        safe = make_url_safe(url)
        try:
            redis_client(url).ping()
        except (redis.RedisError, OSError) as exc:
            return Finding(
                "queue",
                False,
                f"cannot reach Redis at {safe}: {exc}",
                "start Redis or fix ACCORD_QUEUE_URL (e.g. redis://127.0.0.1:6379/0)",
            )
        return Finding("queue", True, f"Redis reachable at {safe}")
    if url:
        return Finding(
            "queue",
            False,
            f"ACCORD_QUEUE_URL={url} is not a redis:// URL",
            "use redis://host:6379/0 or unset it",
        )
    folder = settings.data_dir.expanduser()
    if folder.exists() and not os.access(folder, os.W_OK):
        return Finding("queue", False, f"{folder} is not writable", "give Accord's user write access to it")
    return Finding("queue", True, f"SQLite queue in {folder / 'queue.db'} (one machine only)")


def make_url_safe(url: str) -> str:
    """A queue URL with its password hidden, for messages."""
    return re.sub(r"//([^:@/]*):[^@/]*@", r"//\1:***@", url)


def queue_depth(settings: Settings) -> int:
    """Jobs waiting in the queue (Huey's Redis list, or its SQLite table); -1 when it cannot be read."""
    url = settings.queue_url
    name = queue_name()
    try:
        if _is_redis(url):
            assert url is not None
            key = "huey.redis." + re.sub("[^A-Za-z0-9_]", "", name)  # RedisStorage.clean_name
            return int(redis_client(url).llen(key))
        path = Path(settings.data_dir).expanduser() / "queue.db"
        if not path.exists():
            return 0
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=TIMEOUT_S) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM task WHERE queue = ?", (name,)).fetchone()[0])
    except (redis.RedisError, OSError, sqlite3.Error):
        return -1


def smtp(settings: Settings) -> Finding:
    """The SMTP server greets us (and accepts the login, when one is configured)."""
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    fix = "check ACCORD_SMTP_HOST, ACCORD_SMTP_PORT, ACCORD_SMTP_TLS and that the mail server is running"
    try:
        if settings.smtp_tls == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                timeout=TIMEOUT_S,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_S)
        with client:
            client.ehlo()
            if settings.smtp_tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            client.noop()
    except smtplib.SMTPAuthenticationError:
        return Finding(
            "smtp", False, f"{where} refused the login", "check ACCORD_SMTP_USER and ACCORD_SMTP_PASSWORD"
        )
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        return Finding("smtp", False, f"cannot talk to the mail server at {where}: {exc}", fix)
    return Finding("smtp", True, f"mail server at {where} answers")


def writable_data_dir(settings: Settings) -> Finding:
    """The data folder (secret key, SQLite files, attachments) exists and is writable."""
    folder = settings.data_dir.expanduser()
    if folder.exists() and os.access(folder, os.W_OK):
        return Finding("settings", True, f"settings read; data folder {folder}")
    return Finding(
        "settings",
        False,
        f"the data folder {folder} is missing or not writable",
        "set ACCORD_DATA_DIR to a folder Accord's user can write, or run `accord init`",
    )


def engine_for(settings: Settings) -> Engine:
    """A fresh engine for the configured database (a wrong URL must not poison the process-wide one)."""
    url = settings.sqlalchemy_url
    if url.startswith("postgresql"):
        from_url = make_url(url).update_query_dict({"connect_timeout": str(int(TIMEOUT_S))})
        return make_engine(from_url.render_as_string(hide_password=False))
    return make_engine(url)


def readiness(engine: Engine, settings: Settings) -> list[Finding]:
    """What `/readyz` checks: database, migrations, queue (mail servers are doctor's: their outage
    delays mail, it does not make the web app unable to serve)."""
    findings = [database(engine, settings)]
    if findings[0].ok:
        findings.append(migrations(engine))
    findings.append(queue(settings))
    return findings
