"""Pieces every feature's forms share."""

from wtforms.validators import ValidationError


def strip(value):
    """Filter: leading and trailing white space never counts, so a blank field is empty."""
    return value.strip() if isinstance(value, str) else value


def no_nul(form, field) -> None:
    """Validator: refuse NUL characters, which PostgreSQL cannot store in text."""
    if field.data and "\x00" in field.data:
        raise ValidationError("Remove the NUL character (\\0); it cannot be stored.")
