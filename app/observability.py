"""Request ids, one log line per request, and the rate limiter's warnings.

Only the method, path (percent-encoded), status and duration are logged: never query
strings, bodies, cookies or headers, so passwords and tokens cannot end up in the log.
"""

import logging
import re
import secrets
import sys
import time
from urllib.parse import quote

from flask import Flask, g, request

log = logging.getLogger("corkboard.request")

# A request id passed in by a proxy is kept when it is short and harmless in a log line.
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def register_request_logging(app: Flask) -> None:
    configure_logging(testing=app.testing)
    app.before_request(start_request)
    app.after_request(log_request)


def configure_logging(testing: bool) -> None:
    logger = logging.getLogger("corkboard")
    logger.setLevel(logging.INFO)
    # Flask-Limiter warns when its store is unreachable and limits fall back to each worker's
    # memory. Its info lines name the address of every refused client: those stay out.
    limiter_logger = logging.getLogger("flask-limiter")
    limiter_logger.setLevel(logging.WARNING)
    if testing or logger.handlers:
        return  # tests read records through pytest's caplog
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    limiter_logger.addHandler(handler)


def request_id() -> str:
    if "request_id" not in g:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = (
            incoming if INCOMING_REQUEST_ID.fullmatch(incoming) else secrets.token_hex(16)
        )
    return g.request_id


def start_request() -> None:
    g.request_started = time.perf_counter()
    request_id()


# /feedback/<id>/manage/<token>: the token is the key to someone's feedback.
SECRET_IN_PATH = re.compile(r"(/manage/)[^/]+")


def log_request(response):
    identifier = request_id()
    response.headers["X-Request-ID"] = identifier
    started = g.get("request_started", time.perf_counter())
    log.info(
        "%s %s %s %s %.1fms",
        identifier,
        request.method,
        # Percent-encoded again, as it came: a decoded %0a would start a forged log line.
        # A manage link's token is a secret: it never reaches the log.
        SECRET_IN_PATH.sub(r"\1…", quote(request.path, safe="/:@!$&'()*+,;=-._~")),
        response.status_code,
        (time.perf_counter() - started) * 1000,
    )
    return response
