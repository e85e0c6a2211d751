"""What makes two builds of the same inputs byte-identical: one date per file, never the clock.

The date is SOURCE_DATE_EPOCH when set (the reproducible-builds convention), else the pack's
`date:`, else a fixed constant. DOCX files are zips, whose members carry dates and an order:
`fixed_zip` rewrites them. PDFs carry no date (no dcterms.created meta); only the fontTools
font subsetter, which WeasyPrint uses when HarfBuzz's libharfbuzz-subset0 is missing, stamps
the clock into fonts, so `font_clock` points it at the document's date.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager

from builder.core.errors import TeachpackError

DEFAULT_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # neither SOURCE_DATE_EPOCH nor pack.yaml date: given
SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest date a zip member can carry
_FIRST = "[Content_Types].xml"  # readers of Office files expect it first


def source_date(pack_date: dt.date | None) -> dt.datetime:
    """The date every output of a pack carries: SOURCE_DATE_EPOCH, else `pack_date`, else DEFAULT_DATE."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH)
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise TeachpackError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a time; give seconds since 1970, e.g. $(git log -1 --format=%ct)"
            ) from None
    if pack_date is None:
        return DEFAULT_DATE
    return dt.datetime(pack_date.year, pack_date.month, pack_date.day, tzinfo=dt.UTC)


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The zip `data` rewritten with every member dated `when`, in a fixed order, with fixed attributes."""
    stamp = max(when, _ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda name: (name != _FIRST, name))
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same bytes whichever system wrote them
            info.external_attr = 0
            target.writestr(info, source.read(name))
    return out.getvalue()


@contextmanager
def font_clock(when: dt.datetime) -> Iterator[None]:
    """Within the block, fontTools dates subset fonts `when` (unless SOURCE_DATE_EPOCH is already set)."""
    if SOURCE_DATE_EPOCH in os.environ:
        yield
        return
    os.environ[SOURCE_DATE_EPOCH] = str(int(when.timestamp()))
    try:
        yield
    finally:
        del os.environ[SOURCE_DATE_EPOCH]


def tool_version(command: str, flag: str) -> str | None:
    """The first line an external tool prints about itself (`command flag`), None when it is missing: a
    tool that shapes a file's bytes (pdftoppm, lou_translate) is part of every job's fingerprint."""
    if shutil.which(command) is None:
        return None
    try:
        done = subprocess.run([command, flag], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return next(iter((done.stdout or done.stderr).splitlines()), None)
