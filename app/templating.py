"""Jinja filters and globals the templates share."""

from datetime import UTC, datetime

from flask import Flask
from markupsafe import Markup, escape

from app.markdown import markdown_preview, render_markdown
from app.pagination import with_query

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def readable_time(value: datetime) -> str:
    """`22 Nov 2026, 14:05 UTC`: unambiguous for every reader, whatever their locale."""
    utc = value.astimezone(UTC)
    return f"{utc.day} {MONTHS[utc.month - 1]} {utc.year}, {utc.hour:02}:{utc.minute:02} UTC"


def time_tag(value: datetime) -> Markup:
    """A <time> element: readable text, the exact time on hover, ISO 8601 for machines
    (corkboard.js turns the text into "3 minutes ago"). A list renders twenty of these,
    so the element is formatted directly rather than through Markup's % operator."""
    readable = escape(readable_time(value))
    machine = escape(value.isoformat())
    return Markup(f'<time datetime="{machine}" title="{readable}">{readable}</time>')  # noqa: S704


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(time_tag)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(markdown_preview)
    app.add_template_filter(with_query)
