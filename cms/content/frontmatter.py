"""Split an entry file into YAML front matter and Markdown body, keeping line numbers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is in the wheels we pin
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .errors import FieldError

DELIMITER = "---"


@dataclass
class Parsed:
    """Front matter data, the line of every key (dotted paths), and the body."""

    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    def line_of(self, path: str) -> int:
        """Return the line of a dotted field path, falling back to its parent, then line 1."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return 1


def parse(text: str) -> Parsed:
    """Parse an entry file; raise FieldError with ``.line`` set when it is malformed."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != DELIMITER:
        raise _error("the file must start with a '---' line opening the front matter", 1)
    for end in range(1, len(lines)):
        if lines[end].rstrip() == DELIMITER:
            break
    else:
        raise _error("the front matter is not closed by a '---' line", len(lines))
    yaml_text = "\n".join(lines[1:end])
    data, key_lines = load_yaml(yaml_text, first_line=2)
    if not isinstance(data, dict):
        raise _error("the front matter must be a mapping of 'field: value' lines", 2)
    body = "\n".join(lines[end + 1 :])
    return Parsed(data=data, lines=key_lines, body=body, body_line=end + 2)


def load_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[str, int]]:
    """Load YAML with the safe loader and return the data plus the line of every key."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise _error(f"YAML syntax error: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise _error(f"YAML error: {exc}", first_line) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # The scanner accepted a value its constructor cannot build, e.g. 2021-02-30.
        path, bad = next(_bad_scalars(node, ""), ("", None))
        line = first_line + (bad.start_mark.line if bad is not None else 0)
        value = repr(bad.value) if bad is not None else "a value"
        raise _error(f"{path + ' ' if path else ''}{value} is not valid: {exc}", line) from None
    finally:
        loader.dispose()
    key_lines: dict[str, int] = {}
    if node is not None:
        _walk(node, "", key_lines, first_line)
        duplicate = _duplicate(node, "")
        if duplicate is not None:
            path, line = duplicate
            first = key_lines.get(path, first_line)
            raise _error(f"{path} is given twice (lines {first} and {line + first_line}); "
                         "keep one", line + first_line)
    return (data if data is not None else {}), key_lines


def _bad_scalars(node: yaml.Node | None, path: str) -> Iterator[tuple[str, yaml.Node]]:
    """Yield (field path, node) of scalars that the safe constructor cannot build."""
    if isinstance(node, yaml.ScalarNode):
        construct = yaml.SafeLoader.yaml_constructors.get(node.tag)
        try:
            if construct is not None:
                construct(yaml.SafeLoader(""), node)
        except (ValueError, TypeError, OverflowError, yaml.YAMLError):
            yield path, node
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _bad_scalars(value, f"{path}.{key.value}" if path else str(key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _bad_scalars(item, f"{path}.{index}" if path else str(index))


def _duplicate(node: yaml.Node, path: str) -> tuple[str, int] | None:
    """Return (field path, 0-based line) of the first key given twice in a mapping."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            name = f"{path}{key.value}"
            if name in seen:
                return name, key.start_mark.line
            seen.add(name)
            found = _duplicate(value, name + ".")
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found = _duplicate(item, f"{path}{index}.")
            if found:
                return found
    return None


def _walk(node: yaml.Node, prefix: str, out: dict[str, int], offset: int) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = f"{prefix}{key.value}"
            out.setdefault(path, key.start_mark.line + offset)
            _walk(value, path + ".", out, offset)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}{index}"
            out.setdefault(path, item.start_mark.line + offset)
            _walk(item, path + ".", out, offset)


def _error(message: str, line: int) -> FieldError:
    err = FieldError(message)
    err.line = line  # type: ignore[attr-defined]
    return err
