"""Markdown → sanitised HTML."""

from cms.render.markdown import BrokenLink, LinkError, Rendered, render_markdown

__all__ = ["BrokenLink", "LinkError", "Rendered", "render_markdown"]
