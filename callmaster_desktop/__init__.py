"""CallMaster Desktop: the model layer (no Qt).

Everything a stage manager's data needs lives here: the domain value types,
the database models and engine, the migrations, the operations and the
command line. The Qt user interface lives in the top-level ``ui`` package and
calls into this one; nothing here imports Qt.
"""

__version__ = "0.1.0"
