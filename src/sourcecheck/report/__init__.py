"""Reports made from records only: terminal text, Markdown, JSON (HTML has its own issue)."""

from .jsonout import report_to_json
from .markdown import report_to_markdown
from .text import report_to_text

FORMATS = {"text": report_to_text, "md": report_to_markdown, "json": report_to_json}

__all__ = ["FORMATS", "report_to_json", "report_to_markdown", "report_to_text"]
