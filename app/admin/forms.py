"""Forms of the team's actions on feedback."""

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.extensions import db
from app.forms import no_nul, strip
from app.models import STATUSES, Feedback, Tag, tag_slug


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


def single_spaces(value):
    """Filter: runs of white space inside a name become one space."""
    return " ".join(value.split()) if isinstance(value, str) else value


class TagForm(FlaskForm):
    name = StringField(
        "New tag",
        filters=[strip, single_spaces],
        validators=[DataRequired(), Length(max=30), no_nul],
        description="Up to 30 characters. Its address form is lower case, spaces as -.",
    )
    submit = SubmitField("Add tag")

    def validate_name(self, field) -> None:
        if field.errors:
            return  # a NUL, say, which must not reach the database
        if len(tag_slug(field.data)) > 30:  # lower-casing can lengthen a name ("İ")
            raise ValidationError("Use a shorter name: its address form is over 30 characters.")
        taken = sa.select(Tag.name).where(Tag.slug == tag_slug(field.data))
        if (existing := db.session.scalar(taken)) is not None:
            raise ValidationError(f"There is a tag “{existing}” already.")


class ItemTagsForm(FlaskForm):
    """The tags an item carries: each box checked is a `tags` field with a tag's name."""

    tags = SelectMultipleField(
        "Tags", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    submit = SubmitField("Save tags")

    def __init__(self, all_tags, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tags.choices = [SelectChoice(tag.name, tag.name) for tag in all_tags]


class MergeForm(FlaskForm):
    """Merge an item into the original it repeats. Refuses what would lose the thread: the
    item itself, an item already merged (so no loop can form), and a hidden one."""

    into = IntegerField(
        "Merge into item #",
        validators=[InputRequired("Give the number of the original item.")],
        description="This item becomes a duplicate of it, and its votes move there.",
    )
    submit = SubmitField("Merge")

    def __init__(self, item: Feedback, **kwargs) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.original: Feedback | None = None

    def validate_into(self, field) -> None:
        if field.data is None:
            return  # not a number: the field's own error says so
        if self.item.duplicate_of_id is not None:
            raise ValidationError(f"This item is merged into #{self.item.duplicate_of_id} already.")
        if field.data == self.item.id:
            raise ValidationError("An item cannot be merged into itself.")
        original = db.session.get(Feedback, field.data) if 0 < field.data < 2**31 else None
        if original is None or original.hidden:
            raise ValidationError(f"There is no item #{field.data} to merge into.")
        if original.duplicate_of_id is not None:
            raise ValidationError(
                f"#{field.data} is itself a duplicate; merge into the original, "
                f"#{original.duplicate_of_id}."
            )
        self.original = original
