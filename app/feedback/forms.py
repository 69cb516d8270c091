"""Forms for leaving feedback."""

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import no_nul, strip


class FeedbackForm(FlaskForm):
    name = StringField(
        "Your name", filters=[strip], validators=[DataRequired(), Length(max=80), no_nul]
    )
    message = TextAreaField(
        "Message", filters=[strip], validators=[DataRequired(), Length(max=5000), no_nul]
    )
    submit = SubmitField("Post feedback")
