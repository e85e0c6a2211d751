"""`teachpack serve`: the teacher's workbench, a local web app over the library API (app.py, workbench.py)."""
