"""Pieces every feature's forms share."""

import re
import uuid

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError


def strip(value):
    """Filter: leading and trailing white space never counts, so a blank field is empty."""
    return value.strip() if isinstance(value, str) else value


def no_nul(form, field) -> None:
    """Validator: refuse NUL characters, which PostgreSQL cannot store in text."""
    if field.data and "\x00" in field.data:
        raise ValidationError("Remove the NUL character (\\0); it cannot be stored.")


def must_be_empty(form, field) -> None:
    """Validator for a honeypot: people never see the field, form-filling robots fill it."""
    if field.data:
        raise ValidationError("Leave the last field empty; it is there to catch spam robots.")


must_be_empty.field_flags = {"honeypot": True}


def new_submission_id() -> str:
    return uuid.uuid4().hex


def submission_id_or_none(value):
    """Filter: keep a well-formed submission id, drop anything else."""
    return value if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{32}", value) else None


class SubmitOnceForm(FlaskForm):
    """A form whose every rendering carries a fresh id: posting it twice stores one item.

    The id is unique in the database (see `add_once`), so even two posts racing each
    other cannot both be stored.
    """

    submission_id = HiddenField(default=new_submission_id, filters=[submission_id_or_none])
