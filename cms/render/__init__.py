"""Markup drawn from values: Markdown → sanitised HTML, image renditions, QR codes, bar charts."""

from cms.render.markdown import BrokenLink, LinkError, Rendered, render_markdown

__all__ = ["BrokenLink", "LinkError", "Rendered", "render_markdown"]
