"""Markdown to safe HTML: the one place user Markdown becomes markup.

markdown-it-py renders CommonMark with raw HTML disabled (typed tags show as text), then
nh3 keeps only the tags, attributes and URL schemes listed here, whatever the renderer
produced.
"""

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s",
    "code", "pre", "blockquote", "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> Markup:
    """A note's Markdown as safe HTML. Headings move one level down: the page's <h1> is
    the note's title, so a `# Heading` in the note becomes an <h2>."""
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return Markup(sanitize_html(html))  # noqa: S704 - sanitised just above


PREVIEW_LENGTH = 200


def markdown_preview(text: str, length: int = PREVIEW_LENGTH) -> str:
    """The words of a note's start, without Markdown syntax, for list previews.

    No rendering: lists show twenty of these per page, so this stays a few regexes.
    """
    text = text[: length * 3]
    text = re.sub(r"```.*?(?:```|$)", " ", text, flags=re.DOTALL)  # code blocks
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images: their text
    text = re.sub(r"^\s*(?:[-+*]|\d+[.)])\s+", "", text, flags=re.MULTILINE)  # list markers
    text = re.sub(r"[#>*_`~|]+", " ", text)  # emphasis, headings, quotes, tables
    text = re.sub(r"(?<!\S)[-=:]{3,}(?!\S)", " ", text)  # rules and table separators
    words = " ".join(text.split())
    return words if len(words) <= length else words[: length - 1].rsplit(" ", 1)[0] + "…"
