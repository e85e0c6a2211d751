"""`python -m builder` runs the teachpack command."""

from builder.cli import main

main()
