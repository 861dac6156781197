"""The app's JSON: Flask's, except that a text nested too deep ("[" x 100,000) is a ValueError
like any other bad JSON. json.loads raised RecursionError, which request.get_json lets through
(a 500 on any route that reads JSON)."""

from flask.json.provider import DefaultJSONProvider


class JsonTooDeep(ValueError):
    """A JSON text nested deeper than the parser goes."""


class JSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError as exc:
            raise JsonTooDeep("te diep genest") from exc
