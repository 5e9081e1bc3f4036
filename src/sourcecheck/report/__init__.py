"""Reports made from records only; every format is a module registered as a plugin (plugins.py).

To add a format: write ``report/NAME.py`` with a render function and a ``WRITER = Writer(...)``, and
name it under the ``sourcecheck.report_formats`` entry points. The CLI's ``--format`` choices and
``serve``'s downloads come from the registry.
"""

from .jsonout import report_to_json
from .markdown import report_to_markdown
from .registry import WriteOptions, Writer, format_names, get_writer, render, render_many
from .text import report_to_text

__all__ = ["WriteOptions", "Writer", "format_names", "get_writer", "render", "render_many",
           "report_to_json", "report_to_markdown", "report_to_text"]
