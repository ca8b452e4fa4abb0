"""The script editor (issue 6): the calling script as a fast, keyboard-driven table.

``ScriptEditor`` is the window; ``attach_script_editor(main_window)`` opens
one per script from the Shows page.
"""
