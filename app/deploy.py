"""Deployment checks: what production refuses to start with, and what an operator should
look at. `create_app` enforces the errors; `flask check-deploy` prints both lists."""

from flask import Flask

from config import KNOWN_DEFAULT_SECRET_KEYS

MIN_SECRET_KEY_BYTES = 32


def deploy_errors(app: Flask) -> list[str]:
    """Settings production cannot run with, each as one line saying what to fix."""
    config = app.config
    errors = []
    key = config.get("SECRET_KEY") or ""
    if not key:
        errors.append("SECRET_KEY is not set; production refuses to start without it")
    elif key in KNOWN_DEFAULT_SECRET_KEYS:
        errors.append("SECRET_KEY is a published example value; generate a random one")
    elif len(key.encode()) < MIN_SECRET_KEY_BYTES:
        errors.append(
            f"SECRET_KEY is shorter than {MIN_SECRET_KEY_BYTES} bytes; use e.g. "
            "`python3 -c 'import secrets; print(secrets.token_hex(32))'`"
        )
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        errors.append("DATABASE_URL is not set; production refuses to start without it")
    if app.debug:
        errors.append("debug is on; unset FLASK_DEBUG: production never runs with debug")
    return errors


def deploy_warnings(app: Flask) -> list[str]:
    """Settings that are legal but often wrong in production."""
    config = app.config
    warnings = []
    if not config["SESSION_COOKIE_SECURE"]:
        warnings.append(
            "COOKIE_SECURE is off: session and remember-me cookies may travel over plain "
            "HTTP. Serve over HTTPS and set COOKIE_SECURE=1."
        )
    if not config.get("TRUSTED_HOSTS"):
        warnings.append("TRUSTED_HOSTS is not set: the app answers to any Host header.")
    if not any(config[f"PROXY_FIX_{name}"] for name in ("X_FOR", "X_PROTO")):
        warnings.append(
            "No PROXY_FIX_* hop counts: behind a reverse proxy, client addresses (rate limits) "
            "and HTTPS detection (cookies, HSTS) will be the proxy's."
        )
    if not config["RATELIMIT_ENABLED"]:
        warnings.append("RATELIMIT_ENABLED=0: logins and forms are not rate-limited.")
    elif config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        warnings.append(
            "RATELIMIT_STORAGE_URI=memory://: each worker counts on its own; use redis:// so "
            "limits hold across workers and servers."
        )
    if (config.get("SQLALCHEMY_DATABASE_URI") or "").startswith("sqlite"):
        warnings.append("DATABASE_URL is SQLite: fine for one server, not for several.")
    return warnings
