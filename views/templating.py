"""The Jinja environment of the app: Flask's, with each template's globals as one plain dict.

Jinja gives every template a ChainMap of its own globals over the environment's, and every
render copies that map into the new context: 34 globals, each looked up through the chain, were
13 µs of every template rendered (the object page renders several: ~50 µs of ~1.8 ms). Here a
template's globals are a dict made when it is loaded. Jinja's own advice is not to change the
globals once templates are loaded; should anything do it all the same, the environment forgets
the templates it compiled, so the next render sees the new globals (tests/test_templating.py).
"""

from flask.templating import Environment as FlaskEnvironment


class _Globals(dict):
    """The environment's globals: a change empties the environment's template cache."""

    def __init__(self, environment, values):
        super().__init__(values)
        self._environment = environment

    def _changed(self):
        cache = getattr(self._environment, "cache", None)
        if cache is not None:
            cache.clear()

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key):
        super().__delitem__(key)
        self._changed()

    def update(self, *args, **kwargs):
        super().update(*args, **kwargs)
        self._changed()

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, *args):
        value = super().pop(*args)
        self._changed()
        return value

    def popitem(self):
        item = super().popitem()
        self._changed()
        return item

    def clear(self):
        super().clear()
        self._changed()

    def __ior__(self, other):
        self.update(other)
        return self


class Environment(FlaskEnvironment):
    def __init__(self, app, **options):
        super().__init__(app, **options)
        self.globals = _Globals(self, self.globals)

    def make_globals(self, d):
        """A template's globals: the environment's, overlaid with its own `d`, as a dict."""
        return {**self.globals, **(d or {})}
