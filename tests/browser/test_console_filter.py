"""The console filter of the browser tests drops only the errors that are part of the design."""

from types import SimpleNamespace

from tests.browser.conftest import unexpected_console_errors


def errors(*texts):
    return unexpected_console_errors(SimpleNamespace(console_errors=list(texts)))


def test_aborted_requests_and_422_answers_are_expected():
    assert errors("htmx:afterRequest, [object HTMLElement]", "htmx:sendAbort, [object HTMLElement]",
                  "Failed to load resource: the server responded with a status of 422") == []


def test_send_errors_timeouts_and_script_errors_stay():
    real = ["htmx:afterRequest, [object HTMLElement]", "htmx:sendError, [object HTMLElement]",
            "htmx:afterRequest, [object HTMLElement]", "htmx:timeout, [object HTMLElement]",
            "Uncaught TypeError: x is undefined"]
    assert errors(*real) == real
