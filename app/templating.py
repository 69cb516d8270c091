"""Jinja filters and globals the templates share."""

from datetime import UTC, datetime

from flask import Flask
from markupsafe import Markup

from app.markdown import markdown_preview, render_markdown
from app.pagination import with_query


def readable_time(value: datetime) -> str:
    """`22 Nov 2026, 14:05 UTC`: unambiguous for every reader, whatever their locale."""
    return value.astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")


def time_tag(value: datetime) -> Markup:
    """A <time> element: readable text, the exact time on hover, ISO 8601 for machines
    (corkboard.js turns the text into "3 minutes ago")."""
    readable = readable_time(value)
    return Markup('<time datetime="%s" title="%s">%s</time>') % (
        value.isoformat(),
        readable,
        readable,
    )


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(time_tag)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(markdown_preview)
    app.add_template_filter(with_query)
