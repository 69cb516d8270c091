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
# How much of a note a preview reads (lists select no more than this of each note).
PREVIEW_SOURCE_LENGTH = PREVIEW_LENGTH * 3

CODE_BLOCK = re.compile(r"^ *(```|~~~).*?(?:^ *\1|\Z)", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
# Markers that mean something only at the start of a line: headings, quotes, list items.
LINE_MARKERS = re.compile(r"^[ \t]*(?:(?:#{1,6}|>|[-+*]|\d{1,9}[.)])[ \t]+|>)+", re.MULTILINE)
# Lines of nothing but a rule or a table's separator row: `---`, `***`, `| --- | :-: |`.
RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$|^[ \t|:-]*-{3,}[ \t|:-]*$", re.MULTILINE)
# A table row: a line that starts with a pipe.
TABLE_ROW = re.compile(r"^[ \t]*\|.*$", re.MULTILINE)
# Emphasis, strike-through and inline code around words, not inside them (snake_case).
EMPHASIS = re.compile(r"(?<![\w\\])(\*{1,3}|_{1,3}|~~|`+)(?=\S)([^\n]+?)(?<=\S)\1(?!\w)")


def markdown_preview(text: str) -> str:
    """The words of a note's start, without Markdown syntax, for list previews.

    No rendering: lists show twenty of these per page, so this stays a few regexes, each
    run only when its marker occurs. Each takes a marker only where Markdown would read
    one, so `a > b` and `snake_case` stay as they are.
    """
    text = text[:PREVIEW_SOURCE_LENGTH]
    if "```" in text or "~~~" in text:
        text = CODE_BLOCK.sub(" ", text)
    if "](" in text:
        text = LINK.sub(r"\1", text)
    if "---" in text or "***" in text or "___" in text:
        text = RULE.sub(" ", text)
    if "|" in text:
        text = TABLE_ROW.sub(lambda row: row.group().replace("|", " "), text)
    text = LINE_MARKERS.sub("", text)
    if any(marker in text for marker in "*_~`"):
        text = EMPHASIS.sub(r"\2", text)
    words = " ".join(text.split())
    if len(words) <= PREVIEW_LENGTH:
        return words
    return words[: PREVIEW_LENGTH - 1].rsplit(" ", 1)[0] + "…"
