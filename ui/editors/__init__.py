"""The editors of the main window: show, venue, department and crew forms and pages."""
