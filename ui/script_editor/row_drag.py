"""Dragging rows with the mouse inside the script, and out of it to another window.

Press on a chosen row and move: the chosen rows (a group with its rows)
follow the pointer and a line shows where they will land, between two
rows, or a frame around a group they will go into (the middle of a group's
row). Near the top or bottom edge the table scrolls. Releasing drops them
there (the editor asks when that puts cues out of time order); Escape
cancels. Leaving the table hands the rows to a regular drag, so they can be
dropped into another script's window (a copy) or a spreadsheet (text).

The drag inside the table is the view's own, not the platform's: it works
the same on every desktop and under test.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QDrag, QMouseEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QTableView

from callmaster_desktop.domain.enums import ElementType

EDGE = 24  # pixels from the top or bottom edge where the table scrolls
SCROLL_MS = 40


@dataclass(frozen=True)
class DropTarget:
    row: int  # a shown row; rowCount() for the end of the script
    on_row: bool  # into that group (or right after that row), else just before it


class RowDrag:
    """The state of one drag of rows, owned by the view."""

    def __init__(self, view: QTableView) -> None:
        self.view = view
        self.press: QPoint | None = None
        self.press_event: QMouseEvent | None = None
        self.active = False
        self.target: DropTarget | None = None
        self._scroll = QTimer(view)
        self._scroll.setInterval(SCROLL_MS)
        self._scroll.timeout.connect(self._auto_scroll)
        self._last = QPoint()

    # --- the view's mouse events call these; True means "handled" --------------------------

    def pressed(self, event: QMouseEvent) -> bool:
        self.press = None
        self.press_event = None
        if event.button() != Qt.MouseButton.LeftButton or event.modifiers():
            return False
        index = self.view.indexAt(event.position().toPoint())
        if index.isValid() and self.view.selectionModel().isRowSelected(index.row()):
            self.press = event.position().toPoint()
            self.press_event = event.clone()
            return True  # a press on a chosen row may start a drag: keep the selection
        return False

    def moved(self, event: QMouseEvent) -> bool:
        if self.press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return False
        point = event.position().toPoint()
        if not self.active:
            if (point - self.press).manhattanLength() < QApplication.startDragDistance():
                return True
            self.active = True
        self._last = point
        if not self.view.viewport().rect().adjusted(-4, -4, 4, 4).contains(point):
            self._leave()
            return True
        self.target = self.target_at(point)
        near_edge = point.y() < EDGE or point.y() > self.view.viewport().height() - EDGE
        if near_edge and not self._scroll.isActive():
            self._scroll.start()
        elif not near_edge:
            self._scroll.stop()
        self.view.viewport().update()
        return True

    def released(self) -> tuple[DropTarget | None, QMouseEvent | None]:
        """Where to drop when a drag ends here; else the press that was only a click."""
        target = self.target if self.active else None
        click = self.press_event if self.press is not None and not self.active else None
        self.cancel()
        return target, click

    def cancel(self) -> None:
        self.press = None
        self.press_event = None
        self.active = False
        self.target = None
        self._scroll.stop()
        self.view.viewport().update()

    # --- where, and what it looks like -------------------------------------------------------

    def target_at(self, point: QPoint) -> DropTarget:
        model = self.view.model()
        row = self.view.rowAt(point.y())
        if row < 0:
            return DropTarget(model.rowCount(), False)
        rect = self.view.visualRect(model.index(row, 0))
        offset = point.y() - rect.top()
        e = self.view.script_model.element_at(row)  # type: ignore[attr-defined]
        group = e is not None and e.element_type is ElementType.GROUP
        quarter = rect.height() // 4
        if offset < quarter or (not group and offset < rect.height() // 2):
            return DropTarget(row, False)
        if offset > rect.height() - quarter or not group:
            return DropTarget(row + 1, False)
        return DropTarget(row, True)

    def paint(self, painter: QPainter) -> None:
        if not self.active or self.target is None:
            return
        view = self.view
        width = view.viewport().width()
        color = view.palette().color(QPalette.ColorRole.Highlight)
        if color.lightness() < 90:
            color = QColor(240, 170, 60)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if self.target.on_row:
            rect = view.visualRect(view.model().index(self.target.row, 0))
            frame = QRect(1, rect.top() + 1, width - 3, rect.height() - 3)
            painter.setPen(QPen(color, 2))
            painter.drawRoundedRect(frame, 4, 4)
        else:
            rows = view.model().rowCount()
            if self.target.row < rows:
                y = view.visualRect(view.model().index(self.target.row, 0)).top()
            else:
                y = view.visualRect(view.model().index(rows - 1, 0)).bottom() + 1 if rows else 0
            painter.setPen(QPen(color, 3))
            painter.drawLine(8, y, width - 8, y)
            painter.setBrush(color)
            painter.drawEllipse(QPoint(6, y), 4, 4)
        painter.restore()

    def _auto_scroll(self) -> None:
        bar = self.view.verticalScrollBar()
        if self._last.y() < EDGE:
            bar.setValue(bar.value() - 1)
        elif self._last.y() > self.view.viewport().height() - EDGE:
            bar.setValue(bar.value() + 1)
        else:
            self._scroll.stop()
            return
        self.target = self.target_at(self._last)
        self.view.viewport().update()

    def _leave(self) -> None:
        """The pointer left the table: carry the rows on as a regular drag."""
        indexes = self.view.selectionModel().selectedRows()
        self.cancel()
        if not indexes:
            return
        mime = self.view.model().mimeData(indexes)
        drag = QDrag(self.view)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction, Qt.DropAction.CopyAction)
