"""Printed pages and PDFs made in the window (the crew contact sheet)."""
