"""Forms of the team's actions on feedback."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.forms import no_nul, strip
from app.models import STATUSES


class StatusForm(FlaskForm):
    # "duplicate" is not chosen here: merging an item sets it.
    status = SelectField(
        "Status",
        choices=[
            SelectChoice(status, label)
            for status, label in STATUSES.items()
            if status != "duplicate"
        ],
    )
    response = TextAreaField(
        "The team's response",
        filters=[strip],
        validators=[Optional(), Length(max=5000), no_nul],
        render_kw={"maxlength": 5000, "rows": 4},
        description="Public, shown on the item with when it was given. Markdown works; "
        "leave it empty for none.",
    )
    submit = SubmitField("Save status")
