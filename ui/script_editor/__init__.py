"""The script editor (issue 6): the calling script as a fast, keyboard-driven table.

``ScriptEditor`` is the window; ``attach_script_editor(main_window)`` opens
one per script from the Shows page.
"""

from ui.script_editor.pyside_guard import keep_none_alive

# The editor paints in Python; see pyside_guard for why None needs protecting.
keep_none_alive()
