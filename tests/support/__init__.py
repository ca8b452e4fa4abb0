"""Helpers shared by the tests (fault injection, table dumps)."""
