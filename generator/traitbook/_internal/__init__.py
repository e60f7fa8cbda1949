"""Traitbook's implementation: everything here may change between versions.

The public API is what ``traitbook`` itself exports (``traitbook.__all__``); the command line
(``traitbook``) and the MkDocs plugin (``plugins: - traitbook``) are the other public surfaces.
The layers, from the adapters down to ``errors``, are in ARCHITECTURE.md and are enforced by
import-linter (``lint-imports``).
"""
