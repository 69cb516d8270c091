"""Jinja filters and globals the templates share."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from itertools import repeat
from types import SimpleNamespace

from flask import Flask, request
from jinja2.runtime import Macro
from markupsafe import Markup

from app.markdown import markdown_preview, render_markdown
from app.pagination import with_query

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def readable_time(value: datetime) -> str:
    """`22 Nov 2026, 14:05 UTC`: unambiguous for every reader, whatever their locale."""
    utc = value.astimezone(UTC)
    return f"{utc.day} {MONTHS[utc.month - 1]} {utc.year}, {utc.hour:02}:{utc.minute:02} UTC"


@lru_cache(maxsize=4096)
def time_tag(value: datetime) -> Markup:
    """A <time> element: readable text, the exact time on hover, ISO 8601 for machines
    (corkboard.js turns the text into "3 minutes ago"). A list renders twenty of these,
    so the element is formatted directly (both texts are digits, month names and
    punctuation, with nothing to escape) and remembered: a time's element never changes,
    and the pages people read most show the same items request after request."""
    readable = readable_time(value)
    return Markup(f'<time datetime="{value.isoformat()}" title="{readable}">{readable}</time>')  # noqa: S704


# The site's fixed pages, by the name templates use: `{{ links.feedback }}`. Templates take
# these from `links`, and call url_for only for URLs with values (an item's id, say).
LINKS = {
    "home": ("main.index", {}),
    "feedback": ("feedback.index", {}),
    "new_feedback": ("feedback.new", {}),
    "notes": ("notes.index", {}),
    "my_notes": ("notes.mine", {}),
    "new_note": ("notes.new", {}),
    "admin": ("admin.index", {}),
    "login": ("auth.login", {}),
    "register": ("auth.register", {}),
    "logout": ("auth.logout", {}),
    "search": ("main.search", {}),
    "stylesheet": ("static", {"filename": "corkboard.css"}),
    "script": ("static", {"filename": "corkboard.js"}),
}


def layout_links(app: Flask) -> Callable[[], dict]:
    """A context processor giving templates `links`, the URLs in LINKS. The layout alone
    has a dozen links on every page, and each `url_for` call from a template cost more
    than the rest of its link; these are built once for each place the app is mounted."""

    @lru_cache(maxsize=16)
    def links_under(script_root: str) -> SimpleNamespace:
        return SimpleNamespace(
            **{name: app.url_for(endpoint, **values) for name, (endpoint, values) in LINKS.items()}
        )

    return lambda: {"links": links_under(request.script_root)}


def without_snippets(items: list) -> zip:
    """List items as the cards the list templates loop over: (item, snippet) pairs, as
    search results are (app.search.Hit), with no snippet."""
    return zip(items, repeat(None))


def shared_macros(app: Flask) -> dict[str, Macro]:
    """The macros of _macros.html, which every template may call without importing them:
    an import runs on every render, and cost a list page as much as two of its cards."""
    module = app.jinja_env.get_template("_macros.html").module
    return {name: value for name, value in vars(module).items() if isinstance(value, Macro)}


# Feedback cards remembered per worker process. A message is at most 5,000 characters, so
# these cards and their rows take at most some 25 MB, and about 1 MB for messages of a few
# hundred characters. (Note cards are not remembered: their rows carry whole notes, of up
# to 100,000 characters.)
REMEMBERED_CARDS = 1024


def feedback_cards(app: Flask) -> Callable[[Iterable[tuple], str], Markup]:
    """`feedback_cards(pairs, base)`: the cards of (item, snippet) pairs, as one piece of
    markup; `base` is the list's URL, which an item's id completes.

    Rendering its twenty cards was a fifth of a list page's cost, and the pages people
    read most show the same items request after request, so each card is rendered once
    and remembered. A card is made from nothing but its arguments, so a remembered one is
    what rendering it again would give: an edited item is another key, and rows of other
    columns are told apart by their type. Where templates reload (development), nothing
    is remembered and an edited card template shows at once.
    """
    environment = app.jinja_env

    def render(record_type: type, item: tuple, snippet: Markup | None, base: str) -> Markup:
        macro = environment.get_template("feedback/_card.html").module.feedback_card
        return macro(item, snippet, base)

    card = lru_cache(maxsize=0 if environment.auto_reload else REMEMBERED_CARDS)(render)

    def cards(pairs: Iterable[tuple], base: str) -> Markup:
        markup = [card(type(item), item, snippet, base) for item, snippet in pairs]
        return Markup("".join(markup))  # noqa: S704 - every piece is a rendered card

    return cards


def register_template_helpers(app: Flask) -> None:
    app.context_processor(layout_links(app))
    app.add_template_filter(time_tag)
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(markdown_preview)
    app.add_template_filter(with_query)
    app.add_template_filter(without_snippets)
    app.jinja_env.globals.update(shared_macros(app))  # after the globals the macros use
    app.jinja_env.globals["feedback_cards"] = feedback_cards(app)
