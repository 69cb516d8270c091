"""Response hardening: security headers and trusted proxies. (Cookie flags are settings:
see COOKIE_SECURE in config.py.)"""

from flask import Flask, request
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

PROXY_HEADERS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")


def register_security(app: Flask) -> None:
    hops = {name: app.config[f"PROXY_FIX_{name.upper()}"] for name in PROXY_HEADERS}
    if any(hops.values()):
        # Only behind a proxy the operator named: otherwise X-Forwarded-* is anyone's to forge.
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)
    app.after_request(add_security_headers)


def add_security_headers(response):
    """Each header unless the response set its own; HSTS only over HTTPS."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
