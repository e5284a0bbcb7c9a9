"""`accord user ...`: team members."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.context import console, print_json, unit_of_work
from accord.users import auth, invitations, team
from accord.users import service as users
from accord.users.schemas import UserOut

app = typer.Typer(help="Team members and roles.", no_args_is_help=True)


@app.command("add")
def add(
    name: str = typer.Option(..., "--name", help="Full name."),
    email: str = typer.Option(..., "--email", help="Login email."),
    role: str = typer.Option("agent", "--role", help="owner, lead, agent or viewer."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Add a team member and print their one-time password."""
    with unit_of_work() as ctx:
        user, password = users.add_user(
            ctx.db, actor=ctx.actor, workspace=ctx.workspace, name=name, email=email, role=role
        )
        out = UserOut.model_validate(user)
    if as_json:
        print_json({**out.model_dump(), "one_time_password": password})
    else:
        console.print(f"One-time password (shown once): [bold]{password}[/bold]")
        console.print(f"Added {escape(out.name)} <{escape(out.email)}> as {out.role}.")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List team members."""
    with unit_of_work() as ctx:
        rows = [
            UserOut.model_validate(u)
            for u in users.list_users(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table("Name", "Email", "Role", "Active")
    for u in rows:
        table.add_row(escape(u.name), escape(u.email), u.role, "yes" if u.active else "no")
    console.print(table)


@app.command("sign-out")
def sign_out(email: str = typer.Argument(..., help="Whose sessions to end (owners: anyone's).")) -> None:
    """End every browser session of a user now (a lost laptop, a departing colleague)."""
    with unit_of_work() as ctx:
        user = users.get_user_by_email(ctx.db, workspace_id=ctx.workspace.id, email=email)
        auth.sign_out_everywhere(ctx.db, actor=ctx.actor, user=user)
    console.print(f"Every session of {escape(email)} has ended.")


@app.command("invite")
def invite(
    email: str = typer.Argument(..., help="Who to invite."),
    role: str = typer.Option("agent", "--role", help="owner, lead, agent or viewer."),
) -> None:
    """Print a one-time invitation link (3 days); the invitee sets a name and a password on it."""
    with unit_of_work() as ctx:
        _row, token = invitations.create_invitation(
            ctx.db, actor=ctx.actor, workspace=ctx.workspace, email=email, role=role
        )
        url = invitations.invitation_url(team.public_base_url(ctx.workspace), token)
    console.print(f"Invitation for {escape(email)} as {role} (works once, for 3 days):")
    console.print(url, soft_wrap=True, markup=False)


@app.command("role")
def set_role(
    email: str = typer.Argument(..., help="Whose role to change."),
    role: str = typer.Argument(..., help="owner, lead, agent or viewer."),
) -> None:
    """Change a member's role (owners only; the last owner stays an owner)."""
    with unit_of_work() as ctx:
        user = users.get_user_by_email(ctx.db, workspace_id=ctx.workspace.id, email=email)
        team.change_role(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, user_id=user.id, role=role)
    console.print(f"{escape(email)} is now {role}.")


@app.command("deactivate")
def deactivate(email: str = typer.Argument(..., help="Who left the team.")) -> None:
    """Stop a member from signing in or using tokens; their history stays."""
    with unit_of_work() as ctx:
        user = users.get_user_by_email(ctx.db, workspace_id=ctx.workspace.id, email=email)
        team.deactivate_user(ctx.db, actor=ctx.actor, workspace_id=ctx.workspace.id, user_id=user.id)
    console.print(f"{escape(email)} can no longer sign in.")
