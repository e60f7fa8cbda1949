"""``python -m traitbook`` (and ``python -m generator`` from the project root): the command line."""

import sys

from ._internal.handbook.workers import start_fork_server  # light: neither WeasyPrint nor the catalogue model

# The handbook's workers come from a fork server that spends about a second importing
# WeasyPrint. Started first, that second overlaps with importing the command line and loading
# the catalogue. Only a guess from the arguments: if it is wrong, the server idles and exits.
_args = sys.argv[1:]
if "handbook" in _args or ("build" in _args and "--no-handbook" not in _args):
    start_fork_server()

from ._internal.adapters.cli import main  # noqa: E402 - after the fork server has started

# "generator" is imported only when this runs as ``python -m generator`` (its shim).
sys.exit(main(prog="python -m generator" if "generator" in sys.modules else "python -m traitbook"))
