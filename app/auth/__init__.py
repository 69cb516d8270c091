"""Accounts: register, sign in, sign out."""
