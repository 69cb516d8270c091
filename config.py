"""Configuration classes, chosen by the FLASK_CONFIG environment variable.

Values come from the environment, and from a `.env` file when present (real environment
variables win). Production settings are checked in `create_app`, not here, so importing
this module never fails.
"""

import os

from dotenv import load_dotenv

load_dotenv()


def env_flag(name: str, default: bool) -> bool:
    """Read a boolean environment variable: `0`, `false`, `no` and `off` mean False."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str) -> list[str] | None:
    """A comma-separated list, or None when the variable is unset or empty."""
    items = [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]
    return items or None


def cookie_secure_setting() -> bool | str:
    """COOKIE_SECURE: `auto` (Secure on HTTPS requests), `1` (always) or `0` (never)."""
    value = os.environ.get("COOKIE_SECURE", "auto").strip().lower()
    return "auto" if value in ("", "auto") else env_flag("COOKIE_SECURE", True)


def database_url(value: str | None) -> str | None:
    """Normalise a DATABASE_URL: Heroku-style `postgres://` becomes psycopg 3's scheme."""
    if not value:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value.removeprefix(prefix)
    if value.startswith("mysql://") or value.startswith("mariadb://"):
        return "mysql+pymysql://" + value.split("://", 1)[1]
    return value


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    # Pooled connections are pinged after sitting idle instead (app/extensions.py), which
    # lets the app recover by itself after the database restarts.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": False}

    # Largest note: 100,000 characters, up to 4 bytes each, percent-encoded (x3) in a form.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    COOKIE_SECURE = cookie_secure_setting()

    # Host names the app answers to (e.g. `board.example.org,.example.org`); unset: any.
    TRUSTED_HOSTS = env_list("TRUSTED_HOSTS")
    # How many proxies in front set each X-Forwarded-* header; 0 ignores the header.
    PROXY_FIX_X_FOR = env_int("PROXY_FIX_X_FOR", 0)
    PROXY_FIX_X_PROTO = env_int("PROXY_FIX_X_PROTO", 0)
    PROXY_FIX_X_HOST = env_int("PROXY_FIX_X_HOST", 0)
    PROXY_FIX_X_PORT = env_int("PROXY_FIX_X_PORT", 0)
    PROXY_FIX_X_PREFIX = env_int("PROXY_FIX_X_PREFIX", 0)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = env_flag("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    # A store that is down or frozen must not hold every form up: give up on it within a
    # fraction of a second and count in each worker's memory until it answers again.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_LOGIN = os.environ.get("RATELIMIT_LOGIN", "10 per minute")
    RATELIMIT_REGISTER = os.environ.get("RATELIMIT_REGISTER", "20 per hour")
    RATELIMIT_FEEDBACK = os.environ.get("RATELIMIT_FEEDBACK", "30 per minute; 500 per day")

    # Anonymous feedback waits for a moderator when on.
    FEEDBACK_MODERATION = env_flag("FEEDBACK_MODERATION", False)
    # Refuse feedback sent sooner than this many seconds after the form was shown (0: off).
    FEEDBACK_MIN_SECONDS = env_int("FEEDBACK_MIN_SECONDS", 0)

    FEEDBACK_PER_PAGE = 20
    NOTES_PER_PAGE = 20
    HOME_ITEMS = 5

    # argon2-cffi profile name (see argon2.profiles); tests use a cheap one.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"


DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"
TESTING_SECRET_KEY = "testing-secret-key"
# Keys that are published (here or in common examples); production refuses them.
KNOWN_DEFAULT_SECRET_KEYS = {
    DEV_SECRET_KEY,
    TESTING_SECRET_KEY,
    "change-me-to-a-long-random-string-of-64-characters",
    "your-secret-key-here-please-change-it-for-production",
}


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = Config.SECRET_KEY or DEV_SECRET_KEY
    # A relative SQLite path lives in the app's instance/ folder.
    SQLALCHEMY_DATABASE_URI = Config.SQLALCHEMY_DATABASE_URI or "sqlite:///corkboard.db"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = TESTING_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite://"
    WTF_CSRF_ENABLED = False  # one dedicated test turns it back on
    RATELIMIT_ENABLED = False  # the rate-limit tests turn it back on
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_PROFILE = "CHEAPEST"


class ProductionConfig(Config):
    pass  # DEBUG stays as FLASK_DEBUG sets it, so create_app can refuse debug in production


configs = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
