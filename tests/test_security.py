"""Security headers, cookie flags, hosts and proxies, request ids and what gets logged."""

import logging
import re

import pytest

from app import ConfigError, create_app
from config import settings_from_environment
from tests.conftest import PASSWORD
from tests.factories import make_user

PAGES = ["/", "/feedback/", "/feedback/new", "/notes/", "/auth/login", "/auth/register"]


@pytest.mark.parametrize("path", [*PAGES, "/healthz", "/nowhere", "/static/corkboard.css"])
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as response:
        headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_hsts_only_over_https(client):
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("path", PAGES)
def test_templates_have_no_inline_script_or_style(client, auth, admin, path):
    auth.login("boss")
    for page in (client.get(path).text, client.get("/admin/").text):
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)
        assert "<style" not in page
        assert not re.search(r"\sstyle=", page)
        assert not re.search(r"\son[a-z]+=", page)


def session_cookie(response) -> str:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    return cookie


# What COOKIE_SECURE=1 in the environment sets.
SECURE_COOKIES = settings_from_environment("production", {"COOKIE_SECURE": "1"})


def test_cookie_secure_marks_session_and_remember_cookies_secure(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True, **SECURE_COOKIES)
    with app.app_context():
        make_user(username="alice", password=PASSWORD)
    client = app.test_client()
    page = client.get("/feedback/new", base_url="https://localhost")
    cookie = session_cookie(page)
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    login = client.post(
        "/auth/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/auth/login"},  # CSRF checks it on HTTPS
        data={"username": "alice", "password": PASSWORD, "remember": "y", "csrf_token": token},
    )
    assert login.status_code == 302
    cookies = login.headers.getlist("Set-Cookie")
    [remember] = [c for c in cookies if c.startswith("remember_token=")]
    assert "; Secure" in remember and "; HttpOnly" in remember and "SameSite=Lax" in remember


def test_cookies_are_httponly_and_lax_but_not_secure_by_default(app_factory):
    plain = app_factory(WTF_CSRF_ENABLED=True).test_client()
    cookie = session_cookie(plain.get("/feedback/new"))
    assert "; Secure" not in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_untrusted_host_is_refused_without_a_server_error(app_factory):
    client = app_factory(TRUSTED_HOSTS=["board.example.org"]).test_client()
    assert client.get("/", headers={"Host": "board.example.org"}).status_code == 200
    for host in ("evil.example", "board.example.org.evil.example", "", "a" * 300, "[::1"):
        response = client.get("/", headers={"Host": host})
        assert response.status_code == 400, host
        assert "Traceback" not in response.text


def test_forwarded_headers_are_ignored_unless_a_proxy_is_configured(app_factory):
    direct = app_factory().test_client()
    response = direct.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers

    proxied = app_factory(PROXY_FIX_X_PROTO=1).test_client()
    response = proxied.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("short-key", "shorter than 32 bytes"),
        ("dev-only-secret-key-do-not-use-in-production", "published example value"),
        ("testing-secret-key", "published example value"),
    ],
)
def test_production_refuses_weak_secret_keys(key, message):
    with pytest.raises(ConfigError, match=message):
        create_app("production", SECRET_KEY=key, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_check_deploy_reports_errors_and_warnings(app_factory):
    weak = app_factory(SECRET_KEY="short").test_cli_runner().invoke(args=["check-deploy"])
    assert weak.exit_code == 1
    assert "error: SECRET_KEY is shorter than 32 bytes" in weak.output
    assert "warning: TRUSTED_HOSTS is not set" in weak.output

    good = app_factory(
        SECRET_KEY="k" * 64,
        TRUSTED_HOSTS=["board.example.org"],
        **SECURE_COOKIES,
        PROXY_FIX_X_FOR=1,
        PROXY_FIX_X_PROTO=1,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://db/board",
        create_schema=False,
    )
    result = good.test_cli_runner().invoke(args=["check-deploy"])
    assert result.exit_code == 0, result.output
    assert "error:" not in result.output and "warning:" not in result.output
    assert "No problems found." in result.output


def test_every_response_has_a_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert re.fullmatch(r"[0-9a-f]{32}", first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_proxy_request_id_is_kept_and_junk_is_replaced(client):
    kept = client.get("/", headers={"X-Request-ID": "lb-1234abcd"})
    assert kept.headers["X-Request-ID"] == "lb-1234abcd"
    junk = client.get("/", headers={"X-Request-ID": "x fake=log line"})
    assert re.fullmatch(r"[0-9a-f]{32}", junk.headers["X-Request-ID"])


def test_error_pages_show_the_request_id(client):
    response = client.get("/nowhere")
    assert response.headers["X-Request-ID"] in response.text


def test_one_log_line_per_request_without_secrets(client, user, caplog):
    caplog.set_level(logging.INFO, logger="corkboard")
    client.get("/feedback/new")
    client.post(
        "/auth/login?next=/notes/mine",
        data={"username": "alice", "password": PASSWORD, "csrf_token": "token-value-123"},
    )
    lines = [r.getMessage() for r in caplog.records if r.name == "corkboard.request"]
    assert len(lines) == 2
    assert re.fullmatch(r"[0-9a-f]{32} GET /feedback/new 200 \d+\.\dms", lines[0])
    assert re.fullmatch(r"[0-9a-f]{32} POST /auth/login 302 \d+\.\dms", lines[1])
    everything = caplog.text
    session = client.get_cookie("session")
    for secret in (PASSWORD, "token-value-123", session.value):
        assert secret not in everything


def test_a_path_cannot_forge_log_lines(client, caplog):
    caplog.set_level(logging.INFO, logger="corkboard")
    forged = "/feedback/%0a2026-12-03 INFO corkboard.request: admin GET /admin/ 200%0d%1b[2J"
    assert client.get(forged).status_code == 404
    client.get("/notes/Zoë ✓")
    [line, unicode] = [r.getMessage() for r in caplog.records if r.name == "corkboard.request"]
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert " GET /feedback/%0A2026-12-03%20INFO" in line
    assert " GET /notes/Zo%C3%AB%20%E2%9C%93 404 " in unicode


def test_a_new_secret_key_signs_everyone_out_unless_the_old_one_is_kept(app, client, auth, user):
    auth.login("alice")
    assert "Log out alice" in client.get("/").text
    old_key, app.secret_key = app.secret_key, "a-rotated-secret-key-of-enough-length"
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert "Log out alice" in client.get("/").text  # still trusted during the rotation
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert "Log out alice" not in client.get("/").text
