"""Stage 1, load: schema.py (the keys), loader.py (load_pack -> Pack), checks.py, messages.py (errors as Problems)."""
