"""Jinja filters the templates share: times, feedback statuses, and Markdown."""

from datetime import UTC, datetime

from flask import Flask
from markupsafe import Markup

from app.markdown import markdown_preview, render_markdown
from app.models import STATUSES, TAG_SEPARATOR, tag_slug

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def readable_time(value: datetime) -> str:
    """`22 Nov 2026, 14:05 UTC`: unambiguous for every reader, whatever their locale."""
    utc = value.astimezone(UTC)
    return f"{utc.day} {MONTHS[utc.month - 1]} {utc.year}, {utc.hour:02}:{utc.minute:02} UTC"


# Markup's % escapes each value it is given.
TIME_ELEMENT = Markup('<time datetime="%s" title="%s">%s</time>')


def time_tag(value: datetime) -> Markup:
    """A <time> element: readable text, the exact time on hover, ISO 8601 for machines
    (corkboard.js turns the text into "3 minutes ago")."""
    readable = readable_time(value)
    return TIME_ELEMENT % (value.isoformat(), readable, readable)


def status_label(status: str) -> str:
    """`in_progress` → `In progress`."""
    return STATUSES[status]


def card_tags(tag_names: str | None) -> list[tuple[str, str]]:
    """A card's tags, from the names Feedback.public() joins: (name, ?tag= form) each."""
    names = sorted(tag_names.split(TAG_SEPARATOR), key=str.lower) if tag_names else []
    return [(name, tag_slug(name)) for name in names]


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(time_tag)
    app.add_template_filter(status_label)
    app.add_template_filter(card_tags)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(markdown_preview)
