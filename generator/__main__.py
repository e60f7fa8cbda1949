"""``python -m generator`` from the project root: the same as the ``traitbook`` command.

``generator/`` is the source root of the ``traitbook`` package (the layout of the project's
design card); an installed wheel holds only ``traitbook``. The source next to this file is
used, even when another version of Traitbook is installed.
"""

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
runpy.run_module("traitbook", run_name="__main__", alter_sys=True)
