"""The operations of CallMaster Desktop: one function per use case, each one transaction.

Every operation takes a ``Database`` and the acting owner's id, opens
``db.unit_of_work()`` itself, and returns a ``Changes`` record
(``callmaster_desktop.services.changes``) naming the rows it created,
updated and deleted, so each view can decide whether it must refresh.
Rows of another owner are reported as not found. Input that breaks a rule
raises a ``callmaster_desktop.errors`` error with a sentence a stage manager
understands, and nothing is written.
"""
