"""Help > Diagnostics: what the model layer measured on the open database.

Commit and rollback counts, statements run and their total time, the
slowest statements, and the connection pool's use (the seed design's
"Monitoring & Metrics").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from callmaster_desktop.db.engine import Database
from ui.app import heading_font


class DiagnosticsDialog(QDialog):
    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Diagnostics")
        self.resize(760, 520)
        heading = QLabel("Diagnostics")
        heading.setFont(heading_font(3))
        self.database = QLabel()
        self.commits = QLabel()
        self.rollbacks = QLabel()
        self.statements = QLabel()
        self.pool = QLabel()
        self.pool.setWordWrap(True)
        for label in (self.commits, self.rollbacks, self.statements, self.pool, self.database):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow("Database", self.database)
        form.addRow("Commits", self.commits)
        form.addRow("Rollbacks", self.rollbacks)
        form.addRow("Statements", self.statements)
        form.addRow("Connection pool", self.pool)
        slow_heading = QLabel("Slowest statements")
        slow_heading.setFont(heading_font(1))
        self.slowest = QTableWidget(0, 2)
        self.slowest.setHorizontalHeaderLabels(["Time (ms)", "Statement"])
        self.slowest.verticalHeader().setVisible(False)
        self.slowest.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.slowest.setAlternatingRowColors(True)
        self.slowest.setWordWrap(False)
        header = self.slowest.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = QPushButton("Refresh")
        self.reset_button = QPushButton("Reset counters")
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.refresh_button.clicked.connect(self.refresh)
        self.reset_button.clicked.connect(self.reset)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(slow_heading)
        layout.addWidget(self.slowest, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        db = self.db
        if db is None:
            self.database.setText("No database is open.")
            for label in (self.commits, self.rollbacks, self.statements, self.pool):
                label.setText("—")
            self.slowest.setRowCount(0)
            return
        m = db.metrics
        self.database.setText(f"{db.description} ({db.backend})")
        self.commits.setText(str(m.commits))
        self.rollbacks.setText(
            f"{m.failed_writes} failed or refused saves "
            f"({m.rollbacks} in all: every read ends with one)"
        )
        average = (m.statement_seconds / m.statements * 1000) if m.statements else 0.0
        self.statements.setText(
            f"{m.statements} run, {m.statement_seconds * 1000:.1f} ms in all "
            f"({average:.2f} ms on average)"
        )
        status = db.pool_status()
        words = {"size": "size", "checkedin": "idle", "checkedout": "in use", "overflow": "extra"}
        parts = [str(status.get("pool", ""))] + [
            f"{word} {status[key]}"
            for key, word in words.items()
            if key in status and not (key == "overflow" and int(status[key]) <= 0)
        ]
        self.pool.setText(", ".join(p for p in parts if p))
        self.pool.setToolTip(str(status.get("status", "")))
        slow = m.slowest()
        self.slowest.setRowCount(len(slow))
        for row, item in enumerate(slow):
            millis = QTableWidgetItem(f"{item.seconds * 1000:.2f}")
            millis.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            statement = QTableWidgetItem(item.statement)
            statement.setToolTip(item.statement)
            self.slowest.setItem(row, 0, millis)
            self.slowest.setItem(row, 1, statement)

    def reset(self) -> None:
        if self.db is not None:
            self.db.metrics.reset()
        self.refresh()
