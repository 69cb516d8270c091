"""Forms for leaving feedback."""

import time

from flask import current_app
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, TimestampSigner
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.forms import SubmitOnceForm, must_be_empty, no_nul, strip


def form_signer() -> TimestampSigner:
    return TimestampSigner(current_app.secret_key, salt="feedback-form-shown")


def form_shown_at() -> str:
    return form_signer().sign("feedback").decode()


class FeedbackWordsForm(FlaskForm):
    """What the visitor wrote: the name and message, with their rules."""

    name = StringField(
        "Your name", filters=[strip], validators=[DataRequired(), Length(max=80), no_nul]
    )
    message = TextAreaField(
        "Message", filters=[strip], validators=[DataRequired(), Length(max=5000), no_nul]
    )


class EditFeedbackForm(FeedbackWordsForm):
    submit = SubmitField("Save changes")


class FeedbackForm(FeedbackWordsForm, SubmitOnceForm):
    # Spam traps for robots, invisible to people: a field to leave empty, and the signed
    # time the form was shown (see FEEDBACK_MIN_SECONDS).
    website = StringField(
        "Leave this field empty",
        validators=[must_be_empty],
        render_kw={"tabindex": "-1", "autocomplete": "off"},
    )
    shown_at = HiddenField(default=form_shown_at)
    submit = SubmitField("Post feedback")

    def validate_shown_at(self, field) -> None:
        minimum = current_app.config["FEEDBACK_MIN_SECONDS"]
        if minimum <= 0:
            return
        try:
            _, signed_at = form_signer().unsign(field.data or "", return_timestamp=True)
        except BadSignature:
            field.data = form_shown_at()
            raise ValidationError("This form had expired; please send it again.") from None
        if time.time() - signed_at.timestamp() < minimum:
            raise ValidationError(
                "That was quick! Take a moment to read your message over, then send it again."
            )


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Your comment",
        filters=[strip],
        validators=[DataRequired(), Length(max=5000), no_nul],
        render_kw={"maxlength": 5000, "rows": 4},
        description="Markdown: **bold**, _italic_, [links](https://example.org), lists, `code`.",
    )
    submit = SubmitField("Post comment")
