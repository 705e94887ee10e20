"""Yizhan: a static site generator and headless CMS for a trade-union federation."""

__version__ = "0.1.0"
