"""Flask CLI commands. Their names and output are an interface: other tools call them."""

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from peewee import JOIN

from models.db import connection


def register_cli(app: Flask) -> None:
    @app.cli.command("init-db")
    def init_db():
        """Create or migrate the schema (safe to run any number of times)."""
        from models.migrations import migrate, schema_version

        with connection():
            applied = migrate()
            version = schema_version()
        if applied:
            click.echo(f"Database bijgewerkt naar versie {version} (toegepast: {applied}).")
        else:
            click.echo(f"Database is al bijgewerkt (versie {version}).")

    @app.cli.command("demo-data")
    def demo_data():
        """Fill an empty database with Dutch demo data; refuses on a non-empty one."""
        from models import demo
        from models.migrations import migrate

        with connection():
            migrate()
            if not demo.is_empty():
                raise click.ClickException(
                    "De database bevat al gegevens; demodata wordt alleen in een lege database "
                    "geladen."
                )
            from models.sla.service import now_in

            logins = demo.load_and_remember(current_app.instance_path,
                                            now_in(current_app.config["TIMEZONE"]))
        click.echo("Demodata geladen. Inloggen met:")
        for username, password, role in logins:
            click.echo(f"  {username} / {password} ({role})")

    users = click.Group("users", help="Gebruikers beheren.")
    app.cli.add_command(users)

    @users.command("create")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["beheerder", "planner"]), required=True)
    @click.option("--password", default=None, help="Zonder: er wordt om gevraagd.")
    @click.option("--name", default="", help="Volledige naam.")
    def users_create(username, role, password, name):
        from models.stamdata.users import MIN_PASSWORD_LENGTH, PASSWORD_TOO_SHORT, User

        if password is None:
            password = click.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
        if len(password) < MIN_PASSWORD_LENGTH:
            raise click.ClickException(PASSWORD_TOO_SHORT)
        with connection():
            if User.select().where(User.username == username).exists():
                raise click.ClickException(f"Gebruiker {username} bestaat al.")
            user = User(username=username, role=role, name=name or username)
            user.set_password(password)
            user.save()
        click.echo(f"Gebruiker {username} ({role}) aangemaakt.")

    def existing_user(username):
        from models.stamdata.users import User

        user = User.get_or_none(User.username == username)
        if user is None:
            raise click.ClickException(f"Onbekende gebruiker: {username}")
        return user

    @users.command("deactivate")
    @click.argument("username")
    def users_deactivate(username):
        """Deactivate: ends the user's sessions everywhere and stops their API tokens."""
        from models.stamdata.users import set_active

        with connection():
            changed = set_active(existing_user(username).id, False, "cli")
        click.echo(f"Gebruiker {username} " + ("gedeactiveerd en overal afgemeld."
                                               if changed else "was al gedeactiveerd."))

    @users.command("activate")
    @click.argument("username")
    def users_activate(username):
        """Activate again (old sessions stay ended: the user logs in anew)."""
        from models.stamdata.users import set_active

        with connection():
            changed = set_active(existing_user(username).id, True, "cli")
        click.echo(f"Gebruiker {username} " + ("geactiveerd." if changed else "was al actief."))

    @users.command("set-password")
    @click.argument("username")
    @click.option("--password", default=None, help="Zonder: er wordt om gevraagd.")
    def users_set_password(username, password):
        """Set a new password; ends the user's sessions everywhere."""
        from models.stamdata.users import change_password

        if password is None:
            password = click.prompt("Nieuw wachtwoord", hide_input=True, confirmation_prompt=True)
        with connection():
            try:
                change_password(existing_user(username).id, password, "cli")
            except ValueError as exc:
                raise click.ClickException(str(exc)) from exc
        click.echo(f"Wachtwoord van {username} ingesteld; {username} is overal afgemeld.")

    @app.cli.command("generate")
    @click.option("--today", "today_text", default=None,
                  help="Doe alsof het deze dag is (JJJJ-MM-DD).")
    @click.option("--contract", "contract_id", type=int, default=None, help="Alleen dit contract.")
    def generate(today_text, contract_id):
        """Create the werkbonnen that are due, synchronously (the worker's code path)."""
        from models.common.validation import DATE_RANGE_MESSAGE, in_range, iso_date
        from models.stamdata import calendar_store
        from models.werkbonnen import materialise
        from views.today import local_today

        today = iso_date(today_text) if today_text else local_today()
        if today is None:
            raise click.BadParameter("gebruik JJJJ-MM-DD", param_hint="--today")
        if not in_range(today):  # 9999-12-31 overflowed the horizon: a traceback
            raise click.BadParameter(DATE_RANGE_MESSAGE, param_hint="--today")
        with connection():
            counts = materialise.sweep(today, calendar_store.free_days(), trigger="cli",
                                       actor="cli",
                                       contract_ids=[contract_id] if contract_id else None)
        click.echo(counts.line())

    tokens = AppGroup("tokens", help="API-tokens beheren.")  # its commands read the config
    app.cli.add_command(tokens)

    @tokens.command("create")
    @click.argument("username")
    @click.option("--name", default="", help="Naam van het token (de koppeling die het gebruikt).")
    @click.option("--scope", "scopes", multiple=True,
                  help="Recht, herhaalbaar: werkbonnen:lezen, contracten:schrijven, *:lezen, * "
                       "(standaard: * = alles wat de gebruiker mag).")
    @click.option("--klant", "klant_id", default="", help="Alleen gegevens van deze klant (id).")
    @click.option("--expires", default="", help="Laatste dag dat het token werkt (JJJJ-MM-DD).")
    def tokens_create(username, name, scopes, klant_id, expires):
        """Print a new API token (and nothing else): it acts for USERNAME, within its scopes."""
        from models.stamdata.users import ApiToken, User, check_token
        from views.today import local_today

        with connection():
            user = User.get_or_none(User.username == username)
            if user is None:
                raise click.ClickException(f"Onbekende gebruiker: {username}")
            values, errors = check_token(
                {"name": name, "scopes": list(scopes) or ["*"], "klant_id": klant_id,
                 "expires": expires}, local_today(), current_app.config["TIMEZONE"],
                name_required=False)
            if errors:
                raise click.ClickException(" ".join(f"{field}: {message}"
                                                    for field, message in errors.items()))
            click.echo(ApiToken.issue(user, actor="cli", **values))

    @tokens.command("list")
    def tokens_list():
        """Every token: id, state, user, name, scopes, klant, last day, last use (never the
        token itself: only its hash is stored)."""
        from models.db.base import utcnow
        from models.stamdata.klanten import Klant
        from models.stamdata.users import ApiToken, User

        now = utcnow()
        with connection():
            rows = (ApiToken.select(ApiToken, User, Klant).join(User).switch(ApiToken)
                    .join(Klant, JOIN.LEFT_OUTER).order_by(ApiToken.id))
            for row in rows:
                klant = f"klant {row.klant.id} ({row.klant.name})" if row.klant_id else "-"
                click.echo("\t".join([
                    str(row.id), row.state(now), row.user.username, row.name or "-",
                    row.scopes, klant, _moment(row.expires_at), _moment(row.last_used_at)]))

    @tokens.command("revoke")
    @click.argument("token_id", type=int)
    def tokens_revoke(token_id):
        """Revoke a token (by its id from `tokens list`): refused from its next request on."""
        from models.stamdata.users import ApiToken, revoke

        with connection():
            if ApiToken.get_or_none(ApiToken.id == token_id) is None:
                raise click.ClickException(f"Onbekend token: {token_id}")
            changed = revoke(token_id, "cli")
        click.echo(f"Token {token_id} " + ("ingetrokken." if changed else "was al ingetrokken."))


def _moment(stored) -> str:
    """A stored (naive UTC) moment in the company's time, to the minute; "-" for none."""
    if stored is None:
        return "-"
    from models.sla.service import aware

    return aware(stored, current_app.config["TIMEZONE"]).strftime("%Y-%m-%d %H:%M")
