"""teachpack: build printable lesson packs (PDF and DOCX) for several grade levels from one article."""

from __future__ import annotations

__version__ = "0.1.0"

from .build import BuildResult, build_pack, check_pack
from .errors import BuildError, PackError, TeachpackError
from .pack import Pack, load_pack
from .resolve import resolve

__all__ = ["BuildError", "BuildResult", "Pack", "PackError", "TeachpackError", "__version__", "build_pack",
           "check_pack", "load_pack", "resolve"]
