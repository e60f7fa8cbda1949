"""MkDocs hook: drop the whitespace that the theme's template tags leave behind.

Material's templates are indented for reading, so every ``{% if %}`` or ``{% for %}`` leaves
a line of spaces in the output; in the sidebar of a large catalogue that is a third of each
page. ``trim_blocks`` and ``lstrip_blocks`` remove only the whitespace around the block tags of
the theme's templates: page content (``page.content``) is a variable and is not touched.
``tests/test_whitespace.py`` builds the site with and without this hook and checks that every
page keeps the same words and the same elements and attributes.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment


def on_env(env: Environment, config: Any, files: Any) -> Environment:
    env.trim_blocks = True
    env.lstrip_blocks = True
    return env
