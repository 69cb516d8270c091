"""The note form, shared by new and edit."""

from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.forms import SubmitOnceForm, no_nul, strip


class NoteForm(SubmitOnceForm):
    title = StringField(
        "Title", filters=[strip], validators=[DataRequired(), Length(max=120), no_nul]
    )
    content = TextAreaField(
        "Content",
        filters=[strip],
        validators=[DataRequired(), Length(max=100_000), no_nul],
        description="Markdown: **bold**, _italic_, [links](https://example.org), lists, `code`.",
    )
    visibility = RadioField(
        "Who can see it",
        choices=[SelectChoice("private", "Only me"), SelectChoice("public", "Everyone")],
        default="private",
        validators=[DataRequired()],
    )
    submit = SubmitField("Save note")
