"""The floor for bench/http_preview.py: a hello-world Flask fragment rendering a 12-item list.

Served by gunicorn exactly like the real app (`gunicorn -w 1 ... 'bench.hello_app:create_app()'`)
and measured with the same client, so the ratio shows only what the preview endpoint adds.

The template is inline (no file under templates/) but goes through `render_template`, i.e. through
Jinja's template cache like every template of the real app. `render_template_string` would
compile the template again on every request, which makes the floor slower than a hello world
that any Flask app would serve, and so flatters the ratio. Set HELLO_UNCACHED=1 to measure that
variant instead.

Not a benchmark itself: `make bench` runs every bench/*.py, so running this file does nothing.
"""

import os
from datetime import date, timedelta

from flask import Flask, render_template, render_template_string
from jinja2 import DictLoader

TEMPLATE = """<section id="voorbeeld">
<ul class="datums">
{% for item in items %}
  <li><time datetime="{{ item.isoformat() }}">{{ item.strftime('%d-%m-%Y') }}</time></li>
{% endfor %}</ul>
</section>
"""
START = date(2026, 1, 31)


def create_app() -> Flask:
    app = Flask(__name__)
    app.jinja_loader = DictLoader({"hello.html": TEMPLATE})
    uncached = os.environ.get("HELLO_UNCACHED") == "1"

    @app.route("/hello")
    def hello():
        items = [START + timedelta(days=30 * i) for i in range(12)]
        if uncached:
            return render_template_string(TEMPLATE, items=items)
        return render_template("hello.html", items=items)

    return app


if __name__ == "__main__":
    pass
