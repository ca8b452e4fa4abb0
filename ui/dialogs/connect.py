"""Connect to a PostgreSQL server: host, database, user and password.

The password is kept in the operating system's keyring (``keyring``), never
in the window's settings: the recent-databases list holds the address
without it, and reconnecting asks the keyring. When this computer has no
keyring (a headless machine), the dialog says so and the password is used
for this connection only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL, make_url

from callmaster_desktop.db.engine import normalize_url
from ui.app import heading_font

log = logging.getLogger(__name__)

KEYRING_SERVICE = "CallMaster Desktop"
NO_KEYRING = (
    "This computer has no keyring to keep passwords in, so the password is used for "
    "this connection only and you will be asked again next time."
)


@dataclass(frozen=True)
class ServerAddress:
    """Where a PostgreSQL database is, without its password."""

    host: str
    port: int
    database: str
    user: str

    @property
    def account(self) -> str:
        """The keyring entry's name: ``user@host:port/database``."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def url(self, password: str | None = None) -> str:
        return URL.create(
            "postgresql+psycopg",
            username=self.user or None,
            password=password or None,
            host=self.host,
            port=self.port,
            database=self.database,
        ).render_as_string(hide_password=False)

    @classmethod
    def from_url(cls, url: str) -> ServerAddress | None:
        parsed = make_url(normalize_url(url))
        if parsed.get_backend_name() != "postgresql":
            return None
        return cls(
            parsed.host or "localhost",
            parsed.port or 5432,
            parsed.database or "",
            parsed.username or "",
        )


def keyring_available() -> bool:
    """True when the operating system offers a keyring to keep passwords in."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    try:
        return float(getattr(backend, "priority", 1)) > 0
    except Exception:
        return False


def store_password(address: ServerAddress, password: str) -> str | None:
    """Keep the password in the keyring; a sentence when it could not be kept."""
    if not keyring_available():
        return NO_KEYRING
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, address.account, password)
    except Exception as exc:
        log.warning("keyring refused the password: %s", exc)
        return f"The keyring did not accept the password ({exc}); it is used this time only."
    return None


def load_password(address: ServerAddress) -> str | None:
    if not keyring_available():
        return None
    import keyring

    try:
        value = keyring.get_password(KEYRING_SERVICE, address.account)
    except Exception as exc:
        log.warning("keyring could not be read: %s", exc)
        return None
    return str(value) if value is not None else None


def forget_password(address: ServerAddress) -> None:
    if not keyring_available():
        return
    import keyring

    try:
        keyring.delete_password(KEYRING_SERVICE, address.account)
    except Exception as exc:  # nothing stored is fine
        log.info("no password to forget: %s", exc)


class ConnectDialog(QDialog):
    """The address and password of a PostgreSQL database; ``connectRequested(url)`` on OK."""

    connectRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None, address: ServerAddress | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to PostgreSQL")
        self.setMinimumWidth(460)
        address = address or ServerAddress("127.0.0.1", 5432, "callmaster", "postgres")
        heading = QLabel("Connect to a shared database")
        heading.setFont(heading_font(3))
        intro = QLabel("A PostgreSQL server lets several stage managers share one database.")
        intro.setWordWrap(True)
        self.host = QLineEdit(address.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(address.port)
        self.database = QLineEdit(address.database)
        self.user = QLineEdit(address.user)
        self.password = QLineEdit(load_password(address) or "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox("Keep the password in this computer's keyring")
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setObjectName("keyringNote")
        self.error = QLabel()
        self.error.setStyleSheet("color: #e0533d; font-weight: 600;")
        self.error.setWordWrap(True)
        self.error.hide()
        if keyring_available():
            self.remember.setChecked(True)
            self.keyring_note.hide()
        else:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.keyring_note.setText(NO_KEYRING)
        form = QFormLayout()
        form.addRow("Server", self.host)
        form.addRow("Port", self.port)
        form.addRow("Database", self.database)
        form.addRow("User", self.user)
        form.addRow("Password", self.password)
        form.addRow("", self.remember)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Connect")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def address(self) -> ServerAddress:
        return ServerAddress(
            self.host.text().strip(),
            self.port.value(),
            self.database.text().strip(),
            self.user.text().strip(),
        )

    def try_accept(self) -> None:
        address = self.address()
        missing = [
            n for n, v in (("server", address.host), ("database", address.database)) if not v
        ]
        if missing:
            self.error.setText(f"Please fill in the {' and '.join(missing)}.")
            self.error.show()
            return
        password = self.password.text()
        if self.remember.isChecked() and password:
            problem = store_password(address, password)
            if problem:
                self.keyring_note.setText(problem)
                self.keyring_note.show()
        self.accept()
        self.connectRequested.emit(address.url(password))
