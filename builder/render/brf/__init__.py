"""BRF: the student edition as a braille-ready file (liblouis for the braille, BANA layout)."""
