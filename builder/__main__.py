"""`python -m builder` runs the teachpack command."""

from .cli import main

main()
