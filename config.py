"""Configuration: defaults for each FLASK_CONFIG, then what the environment sets.

`create_app` reads the environment (and a `.env` file when present; real environment
variables win) each time it builds an app, so importing this module reads nothing.
Production settings are checked in `create_app` too.
"""

import os
from collections.abc import Callable, Mapping

from dotenv import load_dotenv


class Config:
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None
    # A connection the database server dropped (a restart, a failover) is replaced before
    # use, so the app recovers by itself.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Largest note: 100,000 characters, up to 4 bytes each, percent-encoded (x3) in a form.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False

    # Host names the app answers to (e.g. `board.example.org,.example.org`); None: any.
    TRUSTED_HOSTS = None
    # How many proxies in front set each X-Forwarded-* header; 0 ignores the header.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # A store that is down or frozen must not hold every form up: give up on it within a
    # fraction of a second and count in each worker's memory until it answers again.
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_REGISTER = "20 per hour"
    RATELIMIT_FEEDBACK = "30 per minute; 500 per day"

    # Anonymous feedback waits for a moderator when on.
    FEEDBACK_MODERATION = False
    # Refuse feedback sent sooner than this many seconds after the form was shown (0: off).
    FEEDBACK_MIN_SECONDS = 0

    FEEDBACK_PER_PAGE = 20
    NOTES_PER_PAGE = 20
    ADMIN_PER_PAGE = 50
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
    SECRET_KEY = DEV_SECRET_KEY
    # A relative SQLite path lives in the app's instance/ folder.
    SQLALCHEMY_DATABASE_URI = "sqlite:///corkboard.db"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = TESTING_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False  # one dedicated test turns it back on
    RATELIMIT_ENABLED = False  # the rate-limit tests turn it back on
    PASSWORD_HASH_PROFILE = "CHEAPEST"


class ProductionConfig(Config):
    pass  # DEBUG stays as FLASK_DEBUG sets it, so create_app can refuse debug in production


configs = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def flag(value: str) -> bool:
    """`0`, `false`, `no` and `off` mean False; anything else True."""
    return value.strip().lower() not in {"0", "false", "no", "off"}


def comma_list(value: str) -> list[str] | None:
    return [item.strip() for item in value.split(",") if item.strip()] or None


def database_url(value: str | None) -> str | None:
    """Normalise a database URL: `postgres://` (Heroku's) and `mysql://` get the drivers'
    schemes."""
    if not value:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value.removeprefix(prefix)
    if value.startswith(("mysql://", "mariadb://")):
        return "mysql+pymysql://" + value.split("://", 1)[1]
    return value


# Each environment variable, the settings it fills and how its text is read.
ENVIRONMENT: dict[str, tuple[tuple[str, ...], Callable[[str], object]]] = {
    "SECRET_KEY": (("SECRET_KEY",), str),
    "DATABASE_URL": (("SQLALCHEMY_DATABASE_URI",), database_url),
    "COOKIE_SECURE": (("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"), flag),
    "TRUSTED_HOSTS": (("TRUSTED_HOSTS",), comma_list),
    "PROXY_FIX_X_FOR": (("PROXY_FIX_X_FOR",), int),
    "PROXY_FIX_X_PROTO": (("PROXY_FIX_X_PROTO",), int),
    "PROXY_FIX_X_HOST": (("PROXY_FIX_X_HOST",), int),
    "PROXY_FIX_X_PORT": (("PROXY_FIX_X_PORT",), int),
    "PROXY_FIX_X_PREFIX": (("PROXY_FIX_X_PREFIX",), int),
    "RATELIMIT_STORAGE_URI": (("RATELIMIT_STORAGE_URI",), str),
    "RATELIMIT_ENABLED": (("RATELIMIT_ENABLED",), flag),
    "RATELIMIT_LOGIN": (("RATELIMIT_LOGIN",), str),
    "RATELIMIT_REGISTER": (("RATELIMIT_REGISTER",), str),
    "RATELIMIT_FEEDBACK": (("RATELIMIT_FEEDBACK",), str),
    "FEEDBACK_MODERATION": (("FEEDBACK_MODERATION",), flag),
    "FEEDBACK_MIN_SECONDS": (("FEEDBACK_MIN_SECONDS",), int),
}
# Tests read only their own database's URL: nothing meant for a real board reaches them.
TESTING_ENVIRONMENT = {"TEST_DATABASE_URL": (("SQLALCHEMY_DATABASE_URI",), database_url)}


class ConfigError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


def settings_from_environment(config_name: str, environ: Mapping[str, str]) -> dict:
    """The settings the environment gives; a variable that is unset or empty keeps the
    default. Raises ConfigError for a value that cannot be read."""
    variables = TESTING_ENVIRONMENT if config_name == "testing" else ENVIRONMENT
    settings = {}
    for variable, (names, read) in variables.items():
        text = environ.get(variable, "").strip()
        if not text:
            continue
        try:
            value = read(text)
        except ValueError:
            raise ConfigError(f"{variable}={text!r} is not a whole number") from None
        settings.update(dict.fromkeys(names, value))
    return settings


def load_environment() -> Mapping[str, str]:
    load_dotenv()
    return os.environ
