"""Dialogs: confirmations, preferences, connecting to a server, diagnostics, shortcuts."""
