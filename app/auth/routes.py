"""Register, log in and log out. Sessions carry the user's session version (see User)."""

from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import lockout
from app.auth.forms import LoginForm, RegisterForm
from app.errors import form_kept_when_limited, form_refused_for_now
from app.extensions import db, limiter
from app.models import User, password_hasher

bp = Blueprint("auth", __name__)


def is_safe_path(target: str) -> bool:
    """True for a same-site path such as `/notes/mine?page=2`.

    Refuses anything a browser could read as another host or a script: schemes, `//host`,
    backslashes, control characters, and the same hidden behind percent-encoding.
    """
    for _ in range(4):  # undo nested percent-encoding, checking each layer
        parts = urlsplit(target)
        if (
            not target.startswith("/")
            or target.startswith("//")
            or "\\" in target
            or any(ord(char) < 32 or ord(char) == 127 for char in target)
            or parts.scheme
            or parts.netloc
        ):
            return False
        decoded = unquote(target)
        if decoded == target:
            return True
        target = decoded
    return False


def next_path(default: str) -> str:
    target = request.args.get("next", "")
    return target if target and is_safe_path(target) else default


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_REGISTER"],
    methods=["POST"],
    on_breach=form_kept_when_limited(
        RegisterForm,
        "auth/register.html",
        "Too many sign-ups were tried from your address. Wait {wait}, then try again.",
    ),
)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        end_read_transaction()  # the form's uniqueness checks read; User() hashes next
        user = User(username=form.username.data, email=form.email.data, password=form.password.data)
        db.session.add(user)
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            # Someone took the name or address between validation and commit.
            db.session.rollback()
            form.username.errors.append("That username or email was just taken; try another.")
            return render_template("auth/register.html", form=form), 422
        session.clear()
        login_user(user)
        flash(f"Welcome to Corkboard, {user.username}!", "success")
        return redirect(url_for("notes.mine"))
    return render_template("auth/register.html", form=form), 422 if form.is_submitted() else 200


ADDRESS_LIMITED = "Too many attempts to log in from your address. Wait {wait}, then try again."
ACCOUNT_LOCKED = "Too many failed attempts to log in to that account. Wait {wait}, then try again."


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN"],
    methods=["POST"],
    on_breach=form_kept_when_limited(LoginForm, "auth/login.html", ADDRESS_LIMITED),
)
def login():
    if current_user.is_authenticated:
        return redirect(next_path(url_for("main.index")))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(form.username.data)
        end_read_transaction(user)
        attempt = lockout.count_attempt(user, form.username.data)
        if attempt.may_check_password and password_matches(user, form.password.data):
            session.clear()  # no state from before the login survives it
            login_user(user, remember=form.remember.data)
            flash(f"Signed in as {user.username}.", "success")
            return redirect(next_path(url_for("main.index")))
        if attempt.locked_until is not None:
            return form_refused_for_now(
                form, "auth/login.html", ACCOUNT_LOCKED, attempt.locked_until
            )
        form.form_errors.append("Wrong username/email or password.")
    return render_template("auth/login.html", form=form), 422 if form.is_submitted() else 200


def password_matches(user: User | None, password: str) -> bool:
    if user is None:
        # Hash anyway, so an unknown name takes as long as a wrong password.
        password_hasher().hash(password)
        return False
    return user.check_password(password)


def find_user(username_or_email: str) -> User | None:
    key = username_or_email.lower()
    query = sa.select(User).where(sa.or_(User.username_key == key, User.email == key))
    return db.session.scalar(query)


def end_read_transaction(user: User | None = None) -> None:
    """End the request's transaction before a password is hashed: nothing is written yet.

    A POST's transaction keeps what it has read locked until it ends (on SQLite, the whole
    database's write lock from the first read: see begin_sqlite_transaction), and argon2
    takes tens of milliseconds: every writer would queue behind each login. `user` is
    detached first so it keeps what was read; a rollback would expire it, and reading it
    again would begin another transaction.
    """
    if user is not None:
        db.session.expunge(user)
    db.session.rollback()


@bp.post("/logout")
@login_required
def logout():
    # CSRFProtect has already checked the token: logging out takes a deliberate POST.
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("main.index"))
