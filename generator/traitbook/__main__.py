"""``python -m generator``: the command line (cli.py)."""

import sys

from .handbook.workers import start_fork_server  # light: neither WeasyPrint nor the catalogue model

# The handbook's workers come from a fork server that spends about a second importing
# WeasyPrint. Started first, that second overlaps with importing the command line and loading
# the catalogue. Only a guess from the arguments: if it is wrong, the server idles and exits.
if "handbook" in sys.argv[1:]:
    start_fork_server()

from .adapters.cli import main

sys.exit(main())
