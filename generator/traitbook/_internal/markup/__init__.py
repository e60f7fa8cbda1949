"""Catalogue text made safe for every output, and the template environments that use it."""
