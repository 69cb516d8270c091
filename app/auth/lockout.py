"""Login limits per account, counted in Flask-Limiter's store.

The login view's decorator limits attempts per address; this limits password checks per
account, from wherever they come. The account is the member's id when the typed name or
email is theirs (a name and its email share one count), else the typed name lower-cased.
Each check is counted before the password is verified, by the store's atomic increment, so
guesses sent in parallel cannot overshoot the limit.

A locked account still checks the password when this is the first check from the address
in the window: a member trying from an address of their own gets in with the right password
(and waits after a wrong one), so an attacker cannot lock them out. It is the address's
checks that are counted, not its failures: a failure is only known after the check, and
parallel guesses from one address would each claim to have none.
"""

from dataclasses import dataclass
from functools import cache

import limits
from flask import current_app
from flask_limiter.util import get_remote_address

from app.extensions import limiter
from app.models import User


@dataclass(frozen=True)
class Attempt:
    locked_until: float | None  # a Unix time; None while the account is open
    first_from_address: bool

    @property
    def may_check_password(self) -> bool:
        return self.locked_until is None or self.first_from_address


def count_attempt(user: User | None, typed_name: str) -> Attempt:
    """Count a password check against the account and the address, before it is made."""
    if not limiter.enabled:
        return Attempt(locked_until=None, first_from_address=True)
    windows = login_limits(current_app.config["RATELIMIT_LOGIN"])
    address = key("login-address", get_remote_address())
    # Every window counts the check, even after one has said no.
    counted = [limiter.limiter.hit(one_in(window), *address) for window in windows]
    if user is not None:
        account = key("login-account", str(user.id))
    else:
        account = key("login-name", typed_name.lower())
    return Attempt(locked_until=lock_end(windows, account), first_from_address=all(counted))


def lock_end(windows: list[limits.RateLimitItem], account: list[str]) -> float | None:
    # Shortest window first, stopping at the first one spent, as Flask-Limiter does.
    for window in windows:
        if not limiter.limiter.hit(window, *account):
            return limiter.limiter.get_window_stats(window, *account).reset_time
    return None


def key(*parts: str) -> list[str]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX")
    return [prefix, *parts] if prefix else list(parts)


@cache
def login_limits(value: str) -> list[limits.RateLimitItem]:
    return sorted(limits.parse_many(value), key=lambda window: window.get_expiry())


def one_in(window: limits.RateLimitItem) -> limits.RateLimitItem:
    """A limit of one per `window`'s length (one per minute for `10 per minute`)."""
    return type(window)(1, window.multiples)
