"""The SHA-256 of a file as it is now, read without following it into a pipe or a device."""

from __future__ import annotations

import hashlib
import os
import stat

FOLDER = "a folder"  # what a folder "hashes" to: a template folder looked for and absent may appear


def current_digest(path: str) -> str | None:
    """The file's SHA-256; FOLDER for a folder (a template folder looked for and absent may appear);
    None when there is nothing, or nothing that could be read (a pipe, a device)."""
    try:  # O_NONBLOCK: a FIFO put where a picture was cannot hang the check
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        return FOLDER if stat.S_ISDIR(mode) else None
    with os.fdopen(fd, "rb") as handle:
        digest = hashlib.sha256()
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
