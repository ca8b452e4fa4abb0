"""A show package as a file: JSON (or a zip holding one JSON file), written and read.

``export_show_file`` writes the named show's package (``package.export_show``)
to a path; ``read_package`` checks that bytes are a package this version of
CallMaster reads, and gives it back as a dictionary.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

from callmaster_desktop.db.engine import Database
from callmaster_desktop.errors import ValidationError
from callmaster_desktop.formats.package import (
    FORMAT,
    FORMAT_VERSION,
    export_show,
    find_show_id,
)
from callmaster_desktop.services.validation import plural


def package_summary(package: dict[str, Any]) -> str:
    elements = sum(len(s["elements"]) for s in package["scripts"])
    parts = [
        plural(len(package["scripts"]), "script"),
        plural(elements, "row"),
        plural(len(package["people"]), "crew member"),
        plural(len(package["runs"]), "run"),
    ]
    return f'"{package["show"]["name"]}": ' + ", ".join(parts)


def package_bytes(package: dict[str, Any], *, zipped: bool = False) -> bytes:
    text = json.dumps(package, ensure_ascii=False, indent=1, sort_keys=False)
    if not zipped:
        return text.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("show.json", text)
    return out.getvalue()


def export_show_file(db: Database, owner_id: uuid.UUID, show_name: str, path: str | Path) -> str:
    """Write the named show's package to ``path`` (a zip when it ends in .zip)."""
    with db.reading() as session:
        show_id = find_show_id(session, owner_id, show_name)
    package = export_show(db, owner_id, show_id)
    try:
        Path(path).write_bytes(package_bytes(package, zipped=str(path).lower().endswith(".zip")))
    except OSError as exc:
        raise ValidationError(f"{path} cannot be written: {exc.strerror or exc}.") from None
    return package_summary(package)


def read_package(data: bytes) -> dict[str, Any]:
    """A package from a file's bytes (JSON, or a zip holding one JSON file)."""
    try:
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [n for n in archive.namelist() if n.endswith(".json")]
                if len(names) != 1:
                    raise ValidationError("The zip file does not hold one show package.")
                data = archive.read(names[0])
        package = json.loads(data.decode("utf-8-sig"))
    except (ValueError, zipfile.BadZipFile):
        raise ValidationError("The file is not a CallMaster show package.") from None
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        raise ValidationError("The file is not a CallMaster show package.")
    if package.get("version") != FORMAT_VERSION:
        raise ValidationError(
            f"The package was written by a newer CallMaster (format {package.get('version')}): "
            "update CallMaster Desktop to open it."
        )
    return package
