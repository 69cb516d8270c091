"""Notes' Markdown renders to HTML with nothing executable left in it."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.markdown import markdown_preview, render_markdown, sanitize_html

HOSTILE = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](  javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "![x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '<a href="#" onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '[x](http://example.org" onmouseover="alert(1))',
]


def assert_inert(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    assert "<iframe" not in lowered
    assert "<svg" not in lowered
    assert "<math" not in lowered
    assert not re.search(r"<[^>]+\son\w+\s*=", lowered), html  # no event handler attribute
    for url in re.findall(r'<(?:a|img)\b[^>]*?\b(?:href|src)="([^"]*)"', lowered):
        assert url.startswith(("http://", "https://", "mailto:", "#", "/")) or ":" not in url, url


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_inert(source):
    assert_inert(render_markdown(source))


def test_ordinary_markdown_renders():
    html = render_markdown(
        "# Title\n\nSome *emphasis*, **strong**, `code` and a [link](https://example.org).\n\n"
        "1. one\n2. two\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~"
    )
    assert "<h2>Title</h2>" in html  # one level below the page's own <h1>
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html
    assert "<code>code</code>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">link</a>' in html
    assert "<ol>" in html and "<blockquote>" in html and "<table>" in html
    assert "<del>gone</del>" in html or "<s>gone</s>" in html


def test_typed_html_shows_as_text():
    assert "&lt;b&gt;not bold&lt;/b&gt;" in render_markdown("<b>not bold</b>")


def test_every_link_gets_noopener():
    html = render_markdown("[a](https://a.example) and <https://b.example> [m](mailto:x@y.z)")
    assert html.count('rel="noopener noreferrer"') == 3


@given(st.text(max_size=300))
def test_sanitising_twice_changes_nothing(text):
    once = sanitize_html(text)
    assert sanitize_html(once) == once


@given(st.text(alphabet=st.sampled_from(list("<>/=\"' ascriptonerolad:[]()!&#;jv\n")), max_size=80))
def test_random_tag_soup_renders_inert(text):
    assert_inert(render_markdown(text))


@pytest.mark.parametrize(
    ("source", "preview"),
    [
        ("Use `snake_case` names, not __dunder__ ones", "Use snake_case names, not dunder ones"),
        ("if a > b then 2 * 3 = 6", "if a > b then 2 * 3 = 6"),
        ("see [the docs](https://example.org).", "see the docs."),
        ("_italic_, **bold** and ~~gone~~.", "italic, bold and gone."),
        ("> quoted\n> > nested", "quoted nested"),
        ("C# and F# are fine, #hashtags too", "C# and F# are fine, #hashtags too"),
        ("1. first\n2) second\n* third", "first second third"),
        ("***\n___\ntext", "text"),
        ("a_b_c and x*y*z", "a_b_c and x*y*z"),
    ],
)
def test_list_previews_keep_the_text_as_written(source, preview):
    assert markdown_preview(source) == preview


def test_list_previews_are_plain_words():
    source = (
        "## Log\n\n| Day | Flour |\n| --- | :---: |\n| 1 | 50 g |\n\n---\n\n"
        "- [a link](https://x.example) and **bold** `code`"
    )
    assert markdown_preview(source) == "Log Day Flour 1 50 g a link and bold code"
    long = "word " * 100
    assert len(markdown_preview(long)) <= 200
    assert markdown_preview(long).endswith("…")
