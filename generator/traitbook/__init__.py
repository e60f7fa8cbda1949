"""Traitbook: a catalogue of traits → a learning site (MkDocs + Material) and a handbook."""

__version__ = "0.1.0"
