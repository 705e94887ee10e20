"""The theme's messages in the site's language: Babel catalogues compiled from .po at start.

Source strings are Chinese, so a zh-CN site needs no catalogue at all; any other language
reads ``themes/<theme>/translations/<locale>/LC_MESSAGES/messages.po``. The .po file is
compiled in memory (no binary .mo in the repository, nothing written next to the theme).
"""

from __future__ import annotations

import functools
import gettext as stdlib_gettext
import io
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from flask import Flask, current_app

if TYPE_CHECKING:  # babel's catalogue tools are imported when a catalogue is read (~25 ms)
    from babel.support import Translations

DOMAIN = "messages"
KEY = "yizhan.i18n"


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Mark a string for extraction; it is translated where it is shown."""
    return message


# Words made below the web layer (cms.maps never imports Flask) that pages show translated.
BELOW_WEB_LAYER = (N_("高德地图"), N_("百度地图"), N_("腾讯地图"))


@functools.cache
def site_locale(language: str) -> Locale:
    """Return the Babel locale of a site.yml language tag (parsing one takes half a millisecond)."""
    return Locale.parse(language.replace("-", "_"))


def catalogue_path(theme: Path, language: str) -> Path | None:
    """Return the .po file for a language (exact locale first, then the bare language)."""
    locale = site_locale(language)
    for name in (str(locale), locale.language):
        path = theme / "translations" / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


@functools.cache
def _compile(path: Path, mtime_ns: int) -> Translations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with open(path, "rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # a fuzzy entry is not a translation yet
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def translations(theme: Path, language: str) -> stdlib_gettext.NullTranslations:
    """Return the theme's translations for a language (the Chinese source strings if none)."""
    path = catalogue_path(theme, language)
    if path is None:
        return stdlib_gettext.NullTranslations()
    return _compile(path, path.stat().st_mtime_ns)


def install(app: Flask, theme: Path, language: str) -> None:
    """Give an app's templates ``_()`` and Python code :func:`gettext` in the site's language."""
    found = translations(theme, language)
    app.extensions[KEY] = found
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_translations(found, newstyle=True)  # type: ignore[attr-defined]
    app.jinja_env.globals["script_messages"] = lambda: script_messages(app)


def gettext(message: str, **variables: object) -> str:
    """Translate a message of Python code into the running app's language, then fill it in."""
    text = current_app.extensions[KEY].gettext(message)
    return text % variables if variables else text


def pgettext(context: str, message: str) -> str:
    """Translate a message that means something else elsewhere (``context`` tells which)."""
    return current_app.extensions[KEY].pgettext(context, message)


@functools.cache
def _script_msgids(folder: Path, stamp: tuple) -> tuple[str, ...]:
    from babel.messages.extract import extract_from_file

    found: list[str] = []
    for path in sorted(folder.glob("*.js")):
        for _line, message, _comments, _context in extract_from_file("javascript", path):
            if isinstance(message, str) and message not in found:
                found.append(message)
    return tuple(found)


def script_messages(app: Flask) -> dict[str, str]:
    """Return the theme scripts' messages whose translation differs from the source text."""
    found = app.extensions[KEY]
    if type(found) is stdlib_gettext.NullTranslations:  # the source strings: none differs
        return {}
    folder = Path(app.static_folder or "") / "js"
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.js")))
    pairs = ((m, found.gettext(m)) for m in _script_msgids(folder, stamp))
    return {msgid: text for msgid, text in pairs if text != msgid}
