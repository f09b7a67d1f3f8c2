"""File storage: uploaded files under one root folder, one subfolder per tenant.

Documents store paths relative to the root. Every path is resolved (symlinks included)
and must land inside the root before it is read, written or deleted, so a crafted
``storage_path`` can never reach a file elsewhere.
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import datetime
from pathlib import Path

from docflow.errors import StorageError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def sanitize_filename(name: str) -> str:
    """A safe file name from a user's: no folders, no leading dots, no odd characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    safe = _UNSAFE.sub("_", base).lstrip("._")[:100]
    return safe or "document"


class Storage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self._root_prefix = str(self.root) + os.sep
        # Real paths of folders already resolved. Documents share a few folders, and
        # resolving every component of every path was half the cost of classification.
        self._real_dirs: dict[str, str] = {}

    def new_path(self, tenant: str, filename: str, now: datetime) -> str:
        """A fresh relative path for ``filename`` of ``tenant``; never collides."""
        unique = uuid.uuid4().hex[:12]
        return f"{tenant}/{now:%Y/%m}/{unique}-{sanitize_filename(filename)}"

    def beside(self, relative: str, filename: str, now: datetime) -> str:
        """A fresh path for ``filename`` in the same tenant's folder as ``relative``."""
        return self.new_path(relative.split("/", 1)[0], filename, now)

    def resolve(self, relative: str) -> Path:
        """The absolute real path of ``relative``; refuses anything outside the root."""
        return Path(self.real_path(relative))

    def real_path(self, relative: str) -> str:
        """:meth:`resolve` as a plain string, for hot loops.

        Symlinks are followed, in the folders and in the file itself, before the check,
        so the path returned is the one that will really be opened.
        """
        folder, name = os.path.split(os.path.normpath(os.path.join(self._root_prefix, relative)))
        real_folder = self._real_dirs.get(folder)
        if real_folder is None:
            real_folder = self._real_dirs[folder] = os.path.realpath(folder)
        path = os.path.join(real_folder, name)
        if os.path.islink(path):
            path = os.path.realpath(path)
        if not (path + os.sep).startswith(self._root_prefix) or path == str(self.root):
            raise StorageError(f"refusing path outside the storage root: {relative!r}")
        return path

    def write(self, relative: str, data: bytes) -> Path:
        """Write ``data`` at ``relative`` atomically: readers never see a partial file."""
        path = self.resolve(relative)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as exc:
            raise StorageError(f"cannot write {relative!r} under {self.root}: {exc}") from exc
        return path

    def delete(self, relative: str) -> bool:
        """Delete the file at ``relative``; a file already gone is fine (returns False)."""
        path = self.resolve(relative)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StorageError(f"cannot delete {relative!r}: {exc}") from exc
        return True
