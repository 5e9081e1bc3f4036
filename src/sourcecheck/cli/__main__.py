"""`python -m sourcecheck.cli`: the same entry point as the `sourcecheck` command."""

from . import main

main()
