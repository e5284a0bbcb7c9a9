"""Entry point of the `accord` command: global options, sub-commands, one error style."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.markup import escape
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, SQLAlchemyError

from accord import demo as demo_data
from accord import setup
from accord.cli import cadence, cases, clients, guide, insights, playbook, users
from accord.cli import coach as coach_cli
from accord.cli import intake as intake_cli
from accord.cli import mail as mail_cli
from accord.cli import offers as offers_cli
from accord.cli import ops as ops_cli
from accord.cli import security as security_cli
from accord.cli import triage as triage_cli
from accord.cli.context import console, set_acting_as
from accord.config import get_settings
from accord.db import database_problem, is_duplicate, session_scope
from accord.errors import AccordError

app = typer.Typer(
    help="Accord: the client conflict resolution desk.", no_args_is_help=True, pretty_exceptions_enable=False
)
app.add_typer(clients.app, name="client")
app.add_typer(cases.app, name="case")
app.add_typer(users.app, name="user")
app.add_typer(insights.app, name="report")
app.add_typer(playbook.app, name="playbook")
app.add_typer(coach_cli.app, name="coach")
app.add_typer(intake_cli.app, name="intake")
app.add_typer(offers_cli.app, name="offer")
app.add_typer(triage_cli.app, name="triage")
cases.app.command("guide")(guide.guide)
app.add_typer(cadence.sla_app, name="sla")
app.add_typer(cadence.reminders_app, name="reminders")
app.command("worker")(ops_cli.worker)
app.command("serve")(ops_cli.serve)
app.command("doctor")(ops_cli.doctor)
cases.app.command("confirm")(cadence.confirm)
cases.app.command("ask-confirmation")(cadence.ask_confirmation)
cases.app.command("reply")(mail_cli.reply)
app.add_typer(mail_cli.mail_app, name="mail")
app.add_typer(mail_cli.mailbox_app, name="mailbox")
security_cli.register(app)


@app.callback()
def _global(
    acting_as: str = typer.Option(None, "--as", help="Act as this user (email); default: the first owner."),
) -> None:
    """Accord's command line."""
    set_acting_as(acting_as)


@app.command("init")
def init(
    owner_email: str = typer.Option(None, "--owner-email", help="Create this owner if there is none."),
    owner_name: str = typer.Option("Owner", "--owner-name", help="Name of that owner."),
) -> None:
    """Create or upgrade the database and the workspace."""
    with session_scope() as db:
        password = setup.init_workspace(db, owner_email=owner_email, owner_name=owner_name)
    if password:  # the secret first: nothing printed after it can lose it
        console.print(f"Owner {escape(str(owner_email))} created. One-time password: [bold]{password}[/bold]")
    where = make_url(get_settings().sqlalchemy_url).render_as_string(hide_password=True)
    console.print(f"Database ready at {escape(where)}")


@app.command("demo")
def demo() -> None:
    """Load a realistic demo workspace (once) and print a fresh demo login."""
    with session_scope() as db:
        setup.init_workspace(db)
        loaded = demo_data.load_demo(db)
        email, password = demo_data.reset_demo_login(db)
    console.print("Demo data loaded." if loaded else "Demo data already present; left as it is.")
    console.print(f"Log in as [bold]{escape(email)}[/bold] with password [bold]{password}[/bold]")


def _argv_problem(argv: list[str]) -> str | None:
    """Arguments that are not valid UTF-8 arrive with surrogate escapes; name the first one."""
    for position, arg in enumerate(argv[1:], start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return f"argument {position} is not valid UTF-8 text; check the terminal's encoding."
    return None


def _database_line(exc: SQLAlchemyError) -> str:
    problem = database_problem(exc)
    where = make_url(get_settings().sqlalchemy_url).render_as_string(hide_password=True)
    return f"{problem.message} (database: {where})"


def _fail(message: str) -> NoReturn:
    typer.echo(f"Error: {message}", err=True)
    sys.exit(1)


def main() -> None:
    """Run the CLI; user and environment errors are one line on stderr and exit code 1, never a traceback."""
    problem = _argv_problem(sys.argv)
    if problem:
        _fail(problem)
    try:
        app()
    except AccordError as exc:
        _fail(exc.message)
    except ValidationError as exc:  # options and settings checked by a schema (e.g. `case set --severity 7`)
        _fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
    except IntegrityError as exc:  # lost a race with another writer at a unique index
        if not is_duplicate(exc):
            reason = (str(exc.orig).splitlines() or ["no reason given"])[0][:200]
            _fail(f"the database refused the change; nothing was written ({reason}).")
        _fail("This conflicts with a record that already exists (a duplicate name or key).")
    except (OperationalError, DatabaseError) as exc:  # locked, disk full, read-only, never initialised
        _fail(_database_line(exc))
    except OSError as exc:  # unreadable file, full disk, missing folder
        _fail(f"{exc.strerror or exc} ({exc.filename})" if exc.filename else str(exc))
    except UnicodeError as exc:
        _fail(f"text that is not valid UTF-8 ({exc}).")
