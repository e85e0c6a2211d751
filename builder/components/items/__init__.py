"""Worksheet item kinds: one module per authored question type and per generated activity."""
