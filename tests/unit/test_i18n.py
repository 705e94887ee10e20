"""Every UI string of the theme goes through gettext, and the English catalogue translates it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import Environment, FileSystemLoader, nodes

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "themes" / "default"
TEMPLATES = THEME / "templates"
CATALOGUES = THEME / "translations"
SKIPPED_DIRS = {"node_modules", "vendor", "tests", "bench", "deploy", ".venv", ".git"}

# Text a template may hold outside gettext: only values a reader never sees as words.
ALLOWED: set[tuple[str, str]] = {
    ("news_detail.html", "article"),  # {% block og_type %}: the Open Graph type, not prose
    ("activity_detail.html", "article"),
}

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
WORD = re.compile(r"[A-Za-z]+")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
HOLE = "\x00"  # stands for anything that is not literal template text
# Markup a macro writes into its caller's tag: data-x, aria-x, name="value (value may go on).
ATTRIBUTE = re.compile(r'^(?:(?:data|aria)-[a-z0-9-]+|[a-z][a-z0-9-]*="[^"]*"?|")$')
# Attributes whose values a reader (or a screen reader) gets as words.
SPOKEN_ATTRIBUTES = re.compile(
    r'\s(aria-label|aria-description|title|alt|placeholder|label)="([^"]*)"'
)


def _extracted() -> dict[tuple[str, str | None], list[str]]:
    """Return {(msgid, context): [where it is]} for every message babel.cfg's extraction finds."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)

    def wanted(dirname: str) -> bool:
        return Path(dirname).name not in SKIPPED_DIRS and not Path(dirname).name.startswith(".")

    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, line, message, _comments, context in extract_from_dir(
        ROOT, method_map, options_map, directory_filter=wanted
    ):
        msgids = message if isinstance(message, tuple) else (message,)
        for msgid in msgids:
            if msgid:
                found.setdefault((msgid, context), []).append(f"{filename}:{line}")
    return found


def _catalogue(locale: str):
    with open(CATALOGUES / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=locale)


def test_extraction_finds_the_theme_and_python_and_script_messages():
    found = _extracted()
    places = {where.split(":")[0] for spots in found.values() for where in spots}
    assert any(p.startswith("themes/default/templates/") for p in places)
    assert any(p.startswith("themes/default/static/js/") for p in places)
    assert any(p.startswith("cms/public/") for p in places)
    for msgid in ("跳到正文", "营业中", "周一"):
        assert (msgid, None) in found
    assert ("报名截止", "activity state") in found and ("报名截止", None) in found


def _forms(message) -> tuple[str, ...]:  # a babel Message
    """Return a message's translations: one per plural form for ngettext, else just the one."""
    return tuple(message.string) if message.pluralizable else (message.string,)


def test_english_catalogue_translates_every_message():
    catalogue = _catalogue("en")
    problems = []
    for (msgid, context), spots in sorted(_extracted().items(), key=lambda i: i[1][0]):
        message = catalogue.get(msgid, context=context)
        if message is None or not all(_forms(message)):
            problems.append(f"{spots[0]}: no English for {msgid!r}")
        elif message.pluralizable and len(message.string) != catalogue.num_plurals:
            problems.append(
                f"{spots[0]}: English for {msgid!r} needs {catalogue.num_plurals} forms"
            )
        elif message.fuzzy:
            problems.append(f"{spots[0]}: English for {msgid!r} is fuzzy")
        elif any(
            set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(s)) for s in _forms(message)
        ):
            problems.append(f"{spots[0]}: placeholders differ in {message.string!r}")
    assert not problems, "run scripts/i18n.sh, then translate:\n" + "\n".join(problems)


@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_catalogues_hold_no_fuzzy_or_stale_entries(locale):
    catalogue = _catalogue(locale)
    assert not [m.id for m in catalogue if m.id and m.fuzzy]
    assert not catalogue.obsolete


def _skeleton(tree: nodes.Node) -> str:
    """Return a template's literal text in source order, with a hole for everything else."""
    parts: list[str] = []

    def walk(node: nodes.Node) -> None:
        if isinstance(node, nodes.TemplateData):
            parts.append(node.data)
        elif isinstance(node, nodes.Output):
            for child in node.nodes:
                if isinstance(child, nodes.TemplateData):
                    parts.append(child.data)
                else:
                    parts.append(HOLE)
        else:
            parts.append(HOLE)
            for child in node.iter_child_nodes():
                walk(child)
            parts.append(HOLE)

    walk(tree)
    return "".join(parts)


def _words_outside_gettext(source: str, env: Environment) -> list[str]:
    """Return the CJK text and English words a template holds outside ``_()`` calls."""
    text = re.sub(r"<!--.*?-->", HOLE, _skeleton(env.parse(source)), flags=re.S)
    found = []
    for tag in re.findall(r"<[^<>]*>", text):
        for name, value in SPOKEN_ATTRIBUTES.findall(tag):
            if CJK.search(value) or WORD.search(value):
                found.append(f'{name}="{value.replace(HOLE, "…")}"')
    prose = re.sub(r"<[^<>]*>", HOLE, text)
    prose = re.sub(r"&[a-z]+;|&#\d+;", HOLE, prose)
    for chunk in prose.split(HOLE):
        if all(ATTRIBUTE.match(token) for token in chunk.split()):
            found.extend(
                f'{n}="{v}"'
                for n, v in SPOKEN_ATTRIBUTES.findall(" " + chunk)
                if CJK.search(v) or WORD.search(v)
            )
        elif CJK.search(chunk) or WORD.search(chunk):
            found.append(chunk.strip())
    return found


def _templates() -> list[str]:
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", _templates())
def test_template_text_goes_through_gettext(name):
    env = Environment(loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"])
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    stray = [t for t in _words_outside_gettext(source, env) if (name, t) not in ALLOWED]
    assert not stray, f'{name}: write these as {{{{ _("...") }}}}: {stray}'


def test_the_template_check_catches_hard_coded_words():
    env = Environment(extensions=["jinja2.ext.i18n"])
    assert _words_outside_gettext('<p>{{ _("订阅") }}</p>', env) == []
    assert _words_outside_gettext('<a href="{{ url }}" class="x">{{ _("详情") }}</a>', env) == []
    assert _words_outside_gettext("<p>订阅：{{ x }}</p>", env) == ["订阅："]
    assert _words_outside_gettext("{% if a %}<b>Next page</b>{% endif %}", env) == ["Next page"]
    assert _words_outside_gettext('<nav aria-label="主导航"></nav>', env) == ['aria-label="主导航"']
    assert _words_outside_gettext("<li>{{ n }}（{{ m }}）</li>", env) == ["（", "）"]
    # A macro that writes attributes into its caller's tag is markup, unless it speaks.
    assert _words_outside_gettext('data-kind data-filter="{{ k }}"', env) == []
    assert _words_outside_gettext('aria-label="Close"', env) == ['aria-label="Close"']
    assert _words_outside_gettext("well done", env) == ["well done"]


def test_site_yml_names_a_language_babel_knows(tmp_path):
    from cms.content.reader import read_site

    path = tmp_path / "site.yml"
    path.write_text("title: 站\nbase_url: https://x.org/\nlanguage: 中文\n", encoding="utf-8")
    site, problems = read_site(path)
    assert site is None
    assert [str(p) for p in problems] == [
        "content/site.yml:3: language is not a language tag like zh-CN or en"
    ]
    path.write_text("title: 站\nbase_url: https://x.org/\nlanguage: en\n", encoding="utf-8")
    assert read_site(path)[0].language == "en"


GETTEXT_CALLS = {"_", "N_", "gettext", "pgettext"}
# Chinese that is not a UI word: CLDR date patterns and the map markers' fallback glyph.
ALLOWED_CODE = {
    ("cms/public/filters.py", "y年M月d日"),
    ("cms/public/filters.py", "y年M月d日（EEE）HH:mm"),
    ("themes/default/static/js/stations.js", "站"),
}


def _python_strays(path: Path) -> list[str]:
    """Return Chinese string literals of a module that are neither docstrings nor in gettext."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            inside.add(id(node.value))  # a docstring
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT_CALLS:
            inside.update(id(arg) for arg in node.args)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CJK.search(node.value)
        and id(node) not in inside
    ]


def _script_strays(path: Path) -> list[str]:
    """Return Chinese string literals of a script that are not the argument of _() or N_()."""
    from babel.messages.jslexer import tokenize, unquote_string

    strays, last = [], []
    for token in tokenize(path.read_text(encoding="utf-8")):
        if token.type == "string" and CJK.search(token.value):
            called = len(last) == 2 and last[0].value in GETTEXT_CALLS and last[1].value == "("
            if not called:
                strays.append(unquote_string(token.value))
        last = (last + [token])[-2:]
    return strays


def _code_files() -> list[Path]:
    files = sorted((ROOT / "cms" / "public").glob("*.py"))
    files += [ROOT / "cms/content/hours.py", ROOT / "cms/maps/tiles.py"]
    return files + sorted((THEME / "static" / "js").glob("*.js"))


@pytest.mark.parametrize("path", _code_files(), ids=lambda p: p.name)
def test_code_shows_no_chinese_outside_gettext(path):
    name = path.relative_to(ROOT).as_posix()
    strays = _script_strays(path) if path.suffix == ".js" else _python_strays(path)
    strays = [s for s in strays if (name, s) not in ALLOWED_CODE]
    assert not strays, f"{name}: wrap these in _() and run scripts/i18n.sh: {strays}"


def test_the_code_checks_catch_hard_coded_chinese(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""说明。"""\nA = _("好")\nB = "坏"\n', encoding="utf-8")
    assert _python_strays(module) == ["坏"]
    script = tmp_path / "s.js"
    script.write_text("var a = _('好'); var b = N_('好'); var c = '坏'; // 注释\n", "utf-8")
    assert _script_strays(script) == ["坏"]
