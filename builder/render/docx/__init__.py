"""render/docx."""
