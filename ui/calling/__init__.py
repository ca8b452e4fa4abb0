"""The live calling screen, the crew display and the show report (issue 7).

``open_calling_screen(parent, db, owner_id, script_id)`` opens the calling
screen of a script; ``is_run_active(script_id)`` says whether it is being
called (the script editor locks editing meanwhile).
"""

from ui.calling.registry import active_runs, is_run_active

__all__ = ["active_runs", "is_run_active"]
