"""Members' Markdown notes, public or private."""
