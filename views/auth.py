"""Login, logout and the role check views use."""

from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from models.users import User

bp = Blueprint("auth", __name__)


def requires_role(role: str):
    """Views check permissions themselves: a client can ask for any fragment."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.may(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _safe_next(target: str | None) -> str:
    if target and urlsplit(target).netloc == "" and target.startswith("/") \
            and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        user = User.get_or_none(User.username == username)
        if user and user.active and user.check_password(request.form.get("password", "")):
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error = "Onbekende gebruikersnaam of verkeerd wachtwoord."
    return render_template("auth/login.html", error=error, username=username), (
        401 if error else 200
    )


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash("U bent afgemeld.", "info")
    return redirect(url_for("auth.login"))
