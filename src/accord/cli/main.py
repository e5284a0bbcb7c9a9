"""Entry point of the `accord` command: global options, sub-commands, one error style."""

from __future__ import annotations

import sys

import typer
from pydantic import ValidationError

from accord import demo as demo_data
from accord import setup
from accord.cli import cadence, cases, clients, guide, insights, playbook, users
from accord.cli import coach as coach_cli
from accord.cli import intake as intake_cli
from accord.cli import offers as offers_cli
from accord.cli import security as security_cli
from accord.cli import triage as triage_cli
from accord.cli.context import console, set_acting_as
from accord.config import get_settings
from accord.db import session_scope
from accord.errors import AccordError

app = typer.Typer(
    help="Accord: the client conflict resolution desk.", no_args_is_help=True, pretty_exceptions_enable=False
)
app.add_typer(clients.app, name="client")
app.add_typer(cases.app, name="case")
app.add_typer(users.app, name="user")
app.command("report")(insights.report)
app.add_typer(playbook.app, name="playbook")
app.add_typer(coach_cli.app, name="coach")
app.add_typer(intake_cli.app, name="intake")
app.add_typer(offers_cli.app, name="offer")
app.add_typer(triage_cli.app, name="triage")
cases.app.command("guide")(guide.guide)
app.add_typer(cadence.sla_app, name="sla")
app.add_typer(cadence.reminders_app, name="reminders")
app.command("worker")(cadence.worker)
cases.app.command("confirm")(cadence.confirm)
cases.app.command("ask-confirmation")(cadence.ask_confirmation)
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
    console.print(f"Database ready at {get_settings().sqlalchemy_url}")
    if password:
        console.print(f"Owner {owner_email} created. One-time password: [bold]{password}[/bold]")


@app.command("demo")
def demo() -> None:
    """Load a realistic demo workspace (once) and print a fresh demo login."""
    with session_scope() as db:
        setup.init_workspace(db)
        loaded = demo_data.load_demo(db)
        email, password = demo_data.reset_demo_login(db)
    console.print("Demo data loaded." if loaded else "Demo data already present; left as it is.")
    console.print(f"Log in as [bold]{email}[/bold] with password [bold]{password}[/bold]")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Serve the web UI and the API (with the background worker in-process)."""
    import uvicorn

    from accord.jobs.worker import embedded_consumer  # the queue is built (storage opened) on import

    console.print(f"Accord is serving on http://{host}:{port}")
    with embedded_consumer():
        uvicorn.run("accord.app:create_app", factory=True, host=host, port=port, log_level="warning")


def main() -> None:
    """Run the CLI; Accord errors become one line on stderr and exit code 1."""
    try:
        app()
    except AccordError as exc:
        typer.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)
    except ValidationError as exc:  # options checked by a domain schema (e.g. `case set --severity 7`)
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        typer.echo(f"Error: {problems}", err=True)
        sys.exit(1)
