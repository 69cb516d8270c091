"""Response hardening: security headers, cookie flags, signed sessions, trusted proxies."""

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

# Scripts and styles come only from our own static files; images in notes may be any HTTPS
# URL. Nothing may frame the site.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
HSTS = "max-age=31536000; includeSubDomains"
SECURE_HEADERS = SECURITY_HEADERS | {"Strict-Transport-Security": HSTS}  # over HTTPS

PROXY_HEADERS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")


def register_security(app: Flask) -> None:
    app.session_interface = SignedCookieSessions()
    app.wsgi_app = SecureCookies(app.wsgi_app, app.config["COOKIE_SECURE"])
    hops = {name: app.config[f"PROXY_FIX_{name.upper()}"] for name in PROXY_HEADERS}
    if any(hops.values()):
        # Only behind a proxy the operator named: otherwise X-Forwarded-* is anyone's to forge.
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)
    app.after_request(add_security_headers)


def add_security_headers(response):
    """Each header unless the response set its own (one pass: setdefault scans the headers
    once per name, which on every response cost more than the rest of this)."""
    present = {name.lower() for name, _ in response.headers}  # (name, value) pairs
    wanted = SECURE_HEADERS if request.is_secure else SECURITY_HEADERS
    response.headers.extend(
        [(name, value) for name, value in wanted.items() if name.lower() not in present]
    )
    return response


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per set of
    keys instead of on every request (making one also test-serialises a value: a few
    percent of a page's cost)."""

    def __init__(self):
        self.serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self.serializers:
            self.serializers[keys] = super().get_signing_serializer(app)
        return self.serializers[keys]


class SecureCookies:
    """WSGI middleware: mark every cookie Secure when the site is served over HTTPS.

    COOKIE_SECURE=auto follows each request's scheme (as a configured proxy reports it):
    a Secure cookie sent over plain HTTP is dropped by clients and would break every form.
    True and False force the flag on or off. Working on the headers catches every cookie,
    the session's, Flask-Login's remember-me and any other.
    """

    def __init__(self, wsgi_app, setting: bool | str):
        self.wsgi_app = wsgi_app
        self.setting = setting

    def __call__(self, environ, start_response):
        secure = self.setting
        if secure == "auto":
            secure = environ.get("wsgi.url_scheme") == "https"
        if not secure:
            return self.wsgi_app(environ, start_response)

        def start_secure_response(status, headers, exc_info=None):
            headers = [
                (name, value + "; Secure")
                if name.lower() == "set-cookie" and "; secure" not in value.lower()
                else (name, value)
                for name, value in headers
            ]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_secure_response)
