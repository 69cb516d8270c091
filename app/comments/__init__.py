"""Comments on feedback: editing and deleting them (posting one is on the item's page)."""
