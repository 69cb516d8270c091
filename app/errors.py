"""Error pages: every error renders inside the site layout, never as a traceback."""

import logging
import math
import time

import sqlalchemy as sa
from flask import Flask, g, make_response, render_template, request
from flask.globals import request_ctx
from flask_limiter import RequestLimit
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    NotFound,
    ServiceUnavailable,
)

from app.extensions import db
from app.models import AnonymousUser, User
from app.pagination import MAX_PAGE, PageTooDeep

log = logging.getLogger("corkboard.errors")

# Seconds a client is asked to wait before retrying while the database is unavailable.
DATABASE_RETRY_AFTER = 5


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(PageTooDeep, render_page_too_deep)
    app.register_error_handler(sa.exc.DataError, render_data_refused)
    app.register_error_handler(sa.exc.OperationalError, render_database_unavailable)
    app.register_error_handler(sa.orm.exc.StaleDataError, render_vanished)
    app.register_error_handler(sa.orm.exc.ObjectDeletedError, render_vanished)
    app.register_error_handler(InternalServerError, render_internal_error)


def render_http_error(error: HTTPException):
    if error.response is not None:
        return error.response  # a page made for this error (a refused form, kept filled in)
    response = error_page(error, error.code or 500)
    # Keep headers the exception carries, such as Allow on a 405.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def form_kept_when_limited(form_class: type[FlaskForm], template: str, advice: str):
    """A Flask-Limiter `on_breach` for a form's POST: the form comes back as typed, with
    `advice` (see `form_refused_for_now`)."""

    def on_breach(limit: RequestLimit):
        return form_refused_for_now(form_class(), template, advice, limit.reset_at)

    return on_breach


def form_refused_for_now(form: FlaskForm, template: str, advice: str, reset_at: float):
    """A 429 that shows `form` again as typed (forms never echo passwords) instead of a bare
    error page, with `advice`, in which `{wait}` says how long until `reset_at` (a Unix
    time) lets the next try through; Retry-After says the same in seconds."""
    wait = reset_at - time.time()
    form.form_errors.append(advice.format(wait=readable_wait(wait)))
    response = make_response(render_template(template, form=form), 429)
    response.headers["Retry-After"] = str(max(math.ceil(wait), 1))
    return response


def readable_wait(seconds: float) -> str:
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= 2 * size:
            return f"{math.ceil(seconds / size)} {unit}s"
    return f"{max(math.ceil(seconds), 2)} seconds"


def error_page(error: HTTPException, code: int, **context):
    if request_ctx.url_adapter is None:
        # The request never got as far as routing (an untrusted Host, say): no URL can be
        # built for the layout's links, so answer with a bare page.
        return make_response(BARE_ERROR_PAGE.format(code=code, name=escape(error.name)), code)
    templates = [f"errors/{code}.html", "errors/error.html"]
    # What a view passed to abort() says exactly what was wrong; the class's text is generic.
    detail = error.description if error.description != type(error).description else None
    html = render_template(templates, error=error, code=code, detail=detail, **context)
    return make_response(html, code)


BARE_ERROR_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{code} {name}</title>'
    "</head><body><main><h1>{code} {name}</h1></main></body></html>"
)


# Fields a refused form's page never shows again: secrets, and what nobody typed.
NOT_SHOWN_AGAIN = {"csrf_token", "submission_id", "shown_at", "website", "remember", "submit"}


def render_page_too_deep(error: PageTooDeep):
    html = render_template("errors/page_too_deep.html", error=error, code=404, last=MAX_PAGE)
    return make_response(html, 404)


def render_csrf_error(error: CSRFError):
    """A form with a missing or stale token (its page was old, or its session ended, say
    by signing out in another tab): a 400 that gives back what was typed, to copy."""
    typed = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if value.strip() and name not in NOT_SHOWN_AGAIN and "password" not in name
    ]
    html = render_template("errors/400.html", error=error, code=400, csrf=True, typed=typed)
    return make_response(html, 400)


def end_the_transaction() -> None:
    """Roll back what failed, so the next request on this worker starts clean, and keep the
    error page away from the database, which may be what failed.

    The layout shows who is signed in: a member already loaded (and not expired) is kept
    out of the session so reading them needs no query; one not loaded yet is shown as
    signed out on this page rather than loaded again.
    """
    user = g.get("_login_user")
    if isinstance(user, User) and user in db.session and not sa.inspect(user).expired_attributes:
        db.session.expunge(user)
    elif not isinstance(user, AnonymousUser):
        g._login_user = AnonymousUser()
    db.session.rollback()


def render_data_refused(error: sa.exc.DataError):
    """A value the database cannot hold slipped past the forms: refuse the request, not 500.

    Forms validate first; this is the safety net, and each time it fires is a validation to add.
    """
    end_the_transaction()
    log.warning("database refused a value: %s", error.orig if error.orig is not None else error)
    return error_page(BadRequest(), 400)


def render_database_unavailable(error: sa.exc.OperationalError):
    """The database refused or dropped us: a 503, with the session cleaned up for the next
    request. Pooled connections are pinged before use, so the app recovers on its own."""
    end_the_transaction()
    log.error("database unavailable: %s", error.orig if error.orig is not None else error)
    response = error_page(ServiceUnavailable(), 503)
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response


def render_vanished(error: sa.exc.SQLAlchemyError):
    """A row this request changes was deleted by another one meanwhile (a note deleted in
    one tab while edited in another, an item a moderator removed): a 404 that says so."""
    end_the_transaction()
    return error_page(NotFound(), 404, deleted_meanwhile=True)


def render_internal_error(error: InternalServerError):
    end_the_transaction()
    return error_page(error, 500)
