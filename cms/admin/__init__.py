"""The admin back office: a Flask-Admin app over the content files (never frozen)."""

from .app import create_app

__all__ = ["create_app"]
