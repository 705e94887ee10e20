"""Content layer: the model, validation, reading and writing entry files (no Flask here)."""

from .errors import ContentError, Problem
from .model import KINDS, Activity, Entry, Location, News, Page, Registration, Site, Station, Term
from .store import Content, load, resolve_inside, write_atomic

__all__ = [
    "KINDS",
    "Activity",
    "Content",
    "ContentError",
    "Entry",
    "Location",
    "News",
    "Page",
    "Problem",
    "Registration",
    "Site",
    "Station",
    "Term",
    "load",
    "resolve_inside",
    "write_atomic",
]
