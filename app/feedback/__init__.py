"""Feedback: anyone can leave it, anyone can read it."""
