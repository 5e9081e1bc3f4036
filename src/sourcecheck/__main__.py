"""`python -m sourcecheck`: the same CLI as the `sourcecheck` script, for when the script is not on PATH."""

from .cli import main

main(prog_name="sourcecheck")
