"""Forms for registering and signing in."""

import email_validator
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from app.extensions import db
from app.forms import no_nul, strip
from app.models import User

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]+\Z"
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # long enough for any passphrase, short enough not to be a burden


def normalise_email(address: str) -> str:
    """The address as stored: validated, normalised, lower-cased so uniqueness ignores case.

    Raises ValueError with a message a person can act on.
    """
    try:
        valid = email_validator.validate_email(address, check_deliverability=False)
    except email_validator.EmailNotValidError as error:
        raise ValueError(str(error)) from error
    return valid.normalized.lower()


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        filters=[strip],
        validators=[
            DataRequired(),
            Length(min=3, max=32),
            Regexp(USERNAME_PATTERN, message="Use only letters, digits, _ . and -."),
        ],
        description="3–32 letters, digits, _ . or -.",
        render_kw={"autocomplete": "username"},
    )
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[DataRequired(), Length(max=254), no_nul],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        "Password",
        filters=[strip],
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD,
                max=MAX_PASSWORD,
                message=f"Use at least {MIN_PASSWORD} (and at most {MAX_PASSWORD}) characters.",
            ),
        ],
        description=f"At least {MIN_PASSWORD} characters.",
        render_kw={"autocomplete": "new-password"},
    )
    password2 = PasswordField(
        "Repeat password",
        filters=[strip],
        validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Create account")

    # Inline validators run even after an earlier one failed; only query on valid input.
    def validate_username(self, field) -> None:
        if field.errors:
            return
        taken = sa.select(User.id).where(User.username_key == field.data.lower())
        if db.session.scalar(taken) is not None:
            raise ValidationError("That username is taken; please choose another.")

    def validate_email(self, field) -> None:
        if field.errors:
            return
        try:
            field.data = normalise_email(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if db.session.scalar(sa.select(User.id).where(User.email == field.data)) is not None:
            raise ValidationError("An account with that email already exists.")


class LoginForm(FlaskForm):
    username = StringField(
        "Username or email",
        filters=[strip],
        validators=[DataRequired(), Length(max=254), no_nul],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        filters=[strip],
        validators=[DataRequired(), Length(max=MAX_PASSWORD), no_nul],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in")
    submit = SubmitField("Log in")
