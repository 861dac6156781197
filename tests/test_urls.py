"""The URLs stay: every rule the app answers (path and methods) is the list kept in
tests/data/url_rules.txt, generated from the app before the restructure of issue 16.

Code may move between blueprints and endpoints may be renamed; a URL is a promise to bookmarks,
links in e-mails and API clients. Changing one is a change of that file, on purpose, in the
same commit (regenerate it with `python tests/test_urls.py > tests/data/url_rules.txt`)."""

from pathlib import Path

RULES = Path(__file__).parent / "data" / "url_rules.txt"
IGNORED_METHODS = {"HEAD", "OPTIONS"}  # Werkzeug adds these to every rule by itself


def url_rules(app) -> list[str]:
    """"<rule> <METHODS,...>" for every rule of `app`, sorted, one per line."""
    return sorted({f"{rule.rule} {','.join(sorted(rule.methods - IGNORED_METHODS))}"
                   for rule in app.url_map.iter_rules()})


def test_every_url_and_method_is_the_one_kept(app):
    kept = RULES.read_text().split("\n")
    assert url_rules(app) == [line for line in kept if line]


def test_every_endpoint_of_a_rule_resolves_back_to_its_url(app):
    """The endpoints are what url_for names in templates and views: each builds its own rule."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if rule.arguments:
                continue
            from flask import url_for

            assert url_for(rule.endpoint) == rule.rule


if __name__ == "__main__":
    import tempfile

    from app import create_app

    folder = tempfile.mkdtemp()
    print("\n".join(url_rules(create_app({"TESTING": True, "SECRET_KEY": "x",
                                          "INSTANCE_PATH": folder,
                                          "DATABASE_URL": f"sqlite:///{folder}/c.db"}))))
