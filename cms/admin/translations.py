"""Our Chinese catalogue, compiled from its .po file at start-up (no build step needed).

Flask-Admin's own strings come from its ``zh_Hans_CN`` catalogue and WTForms' from its ``zh``
one; ``cms/admin/translations/`` adds the strings of our menus and views. The compiled .mo
files go to the instance folder, so the package itself can stay read-only.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE = Path(__file__).resolve().parent / "translations"


def compile_catalogues(target: Path) -> str:
    """Compile every .po into ``target`` (same layout) when missing or stale; return target."""
    for po in SOURCE.glob("*/LC_MESSAGES/*.po"):
        mo = target / po.relative_to(SOURCE).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalog = read_po(handle)
        tmp = mo.with_name(mo.name + ".tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog)
        tmp.replace(mo)
    return str(target)
