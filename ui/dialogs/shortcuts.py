"""Help > Keyboard Shortcuts: every menu action and its keys, read from the menus."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.app import heading_font

# Keys that work inside the editors and lists, not on a menu.
EXTRA_KEYS: list[tuple[str, str, str]] = [
    ("Editor", "Put back what is stored", "Esc"),
    ("Editor", "Move between fields", "Tab"),
    ("Lists", "Move through the list", "Up, Down"),
    ("Dialogs", "Cancel", "Esc"),
]


def menu_shortcuts(menu_bar: QMenuBar) -> list[tuple[str, str, QKeySequence]]:
    """(menu, action, keys) for every action that has keys, in menu order."""
    found: list[tuple[str, str, QKeySequence]] = []

    def visit(title: str, actions: list[QAction]) -> None:
        for action in actions:
            sub = action.menu()
            if sub is not None:
                visit(title, sub.actions())  # type: ignore[attr-defined]
            elif not action.isSeparator() and not action.shortcut().isEmpty():
                found.append((title, action.text().replace("&", ""), action.shortcut()))

    for top in menu_bar.actions():
        menu = top.menu()
        if menu is not None:
            visit(top.text().replace("&", ""), menu.actions())  # type: ignore[attr-defined]
    return found


class ShortcutsDialog(QDialog):
    def __init__(self, menu_bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(560, 560)
        heading = QLabel("Keyboard shortcuts")
        heading.setFont(heading_font(3))
        rows = menu_shortcuts(menu_bar) + [(w, t, QKeySequence(k)) for w, t, k in EXTRA_KEYS]
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Where", "Action", "Keys"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        for row, (where, text, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(where))
            self.table.setItem(row, 1, QTableWidgetItem(text.rstrip("…")))
            native = keys.toString(QKeySequence.SequenceFormat.NativeText)
            self.table.setItem(row, 2, QTableWidgetItem(native))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str, str]]:
        found = []
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(3)]
            where, text, keys = (cell.text() if cell is not None else "" for cell in cells)
            found.append((where, text, keys))
        return found
