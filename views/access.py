"""Who may see a page: roles are checked in the view, never only in the template (a client can
ask for any fragment)."""

from functools import wraps

from flask import abort
from flask_login import current_user


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
