"""Reports made from records only; every format registers itself in ``registry`` when imported here.

To add a format: write ``report/NAME.py`` with a function decorated by ``@register(...)`` and import
it below. The CLI's ``--format`` choices and ``serve``'s downloads come from the registry.
"""

from . import docx, github, html, jsonout, junit, markdown, sarif, text  # noqa: F401  (importing registers each format)
from .jsonout import report_to_json
from .markdown import report_to_markdown
from .registry import WRITERS, WriteOptions, format_names, get_writer, register, render, render_many
from .text import report_to_text

__all__ = ["WRITERS", "WriteOptions", "format_names", "get_writer", "register", "render", "render_many",
           "report_to_json", "report_to_markdown", "report_to_text"]
