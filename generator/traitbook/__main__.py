"""``python -m traitbook`` (and ``python -m generator`` from the project root): the command line."""

import sys

# Only when run as a program, never when imported for its names. (Spawned workers, as on macOS
# and Windows, do not re-run a package's __main__: multiprocessing skips "*.__main__" modules.)
if __name__ == "__main__":
    # The handbook's workers come from a fork server that spends about a second importing
    # WeasyPrint. Started first, that second overlaps with importing the command line and
    # loading the catalogue. (``generate``/``build``/``serve`` start it themselves, only when
    # the PDFs need laying out: adapters/site.py.)
    if "handbook" in sys.argv[1:]:
        from ._internal.handbook.workers import start_fork_server  # light: no WeasyPrint, no catalogue model

        start_fork_server()

    from ._internal.adapters.cli import main

    # "generator" is imported only when this runs as ``python -m generator`` (its shim).
    sys.exit(main(prog="python -m generator" if "generator" in sys.modules else "python -m traitbook"))
