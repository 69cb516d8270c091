"""Moderation for admins: hide, restore and delete feedback and notes."""
