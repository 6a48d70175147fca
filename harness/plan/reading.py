"""Reading files roboverify did not write: bounded before a byte is parsed, refused with the fix.

Plans, scenario specs, conditions files and baseline reports may come from anyone (a pull
request, an artifact of another job). Whatever their bytes, reading them ends quickly in the
data or in a :class:`~harness.errors.SpecError` (exit code 2): never a traceback, a hang or a
machine out of memory. The limits are in docs/input-limits.md.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from harness.errors import SpecError, UsageError

MiB = 2**20
MAX_BYTES_ENV = "ROBOVERIFY_MAX_INPUT_BYTES"
PLAN_MAX_BYTES = 8 * MiB  # plans and scenario specs
CONDITIONS_MAX_BYTES = 64 * MiB
REPORT_MAX_BYTES = 256 * MiB  # baseline reports
MAX_DEPTH = 64  # nesting of mappings and lists, YAML and JSON
MAX_NODES = 1_000_000  # YAML nodes once every alias is expanded
MAX_SCALAR_CHARS = 65_536  # one YAML string, number or key
MAX_ITEMS = 10_000  # entries of one YAML mapping or list


def max_bytes(default: int) -> int:
    """``default``, or the size :data:`MAX_BYTES_ENV` sets for every file roboverify reads."""
    raw = os.environ.get(MAX_BYTES_ENV)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise UsageError(f"{MAX_BYTES_ENV}={raw!r} is not a size; give a positive number of bytes")
    return value


def read_text(path: Path, what: str, limit: int) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes (or :data:`MAX_BYTES_ENV`).

    The checks run before the file is opened where they can (a FIFO would block the open).
    """
    limit = max_bytes(limit)
    try:
        status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            raise SpecError(str(path), [f"is a directory, not a {what}; give the path of the file"])
        if not stat.S_ISREG(status.st_mode):
            raise SpecError(
                str(path), [f"is not a regular file (a FIFO, device or socket); give the path of a {what}"]
            )
        _check_size(path, status.st_size, limit, what)
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError as error:
        message = f"cannot read the {what}: {error.strerror or error}; check the path"
        raise SpecError(str(path), [message]) from error
    _check_size(path, len(data), limit, what)  # it may have grown since the stat
    nul = data.find(b"\x00")
    if nul >= 0:
        message = f"byte {nul} is a NUL byte: this is binary data, not a {what}; give the text file"
        raise SpecError(str(path), [message])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"byte {error.start} is not UTF-8 text; save the {what} as UTF-8"
        raise SpecError(str(path), [message]) from error


def _check_size(path: Path, size: int, limit: int, what: str) -> None:
    if size > limit:
        raise SpecError(
            str(path),
            [
                f"the {what} is larger than {limit:,} bytes, the most roboverify reads; "
                f"check it is the right file, or raise the limit with {MAX_BYTES_ENV}"
            ],
        )


class BoundedLoader(yaml.SafeLoader):
    """A SafeLoader that refuses deep nesting, huge scalars and collections while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(parent, yaml.CollectionNode) and len(parent.value) >= MAX_ITEMS:
            raise _LimitError(parent.start_mark, f"a mapping or list of more than {MAX_ITEMS:,} entries")
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR_CHARS:
            raise _LimitError(event.start_mark, f"a value longer than {MAX_SCALAR_CHARS:,} characters")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitError(event.start_mark, f"mappings and lists nested deeper than {MAX_DEPTH}")
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        return node


class _LimitError(yaml.YAMLError):
    def __init__(self, mark: Any, what: str) -> None:
        super().__init__(what)
        self.mark = mark
        self.what = what


def parse_yaml(text: str, file: str) -> tuple[Any, yaml.Node | None]:
    """The data and node tree of one YAML document, within the limits above."""
    try:
        loader = BoundedLoader(text)  # reads the first characters: may raise already
    except yaml.YAMLError as error:
        raise SpecError(file, [yaml_problem(error)]) from None
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node, file)
        data = loader.construct_document(node) if node is not None else None
    except _LimitError as error:
        where = f"line {error.mark.line + 1}: " if error.mark is not None else ""
        message = f"{where}{error.what}; roboverify refuses such files, split or simplify it"
        raise SpecError(file, [message]) from None
    except yaml.YAMLError as error:
        raise SpecError(file, [yaml_problem(error)]) from None
    except (ValueError, OverflowError, RecursionError) as error:  # e.g. an int of 5000 digits
        reason = str(error).split(";")[0]
        raise SpecError(file, [f"a value YAML cannot turn into data ({reason}); write it shorter"]) from None
    finally:
        loader.dispose()
    return data, node


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Aliases share nodes: count what they expand to, once per node (a "billion laughs" graph
    is small, its expansion is not), and refuse an alias to a node that contains it."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_NODES:
                line = node.start_mark.line + 1
                raise SpecError(
                    file,
                    [
                        f"line {line}: aliases here expand to more than {MAX_NODES:,} values; "
                        "roboverify refuses such files, write the values out or use fewer aliases"
                    ],
                )
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            line = node.start_mark.line + 1
            raise SpecError(file, [f"line {line}: an alias refers to a value that contains it; remove it"])
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        yield from node.value
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value


def yaml_problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):  # a control character, before any parsing
        code = error.character if isinstance(error.character, int) else ord(error.character)
        return f"character {code:#06x} at position {error.position} is not allowed in YAML; remove it"
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = getattr(error, "problem", None) or str(error)
    return f"{where}YAML syntax error: {problem}; fix the indentation, quoting or brackets there"


def parse_json(text: str) -> Any:
    """One JSON value within :data:`MAX_DEPTH`; a ValueError (with the fix) for anything else."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels; roboverify refuses it") from None
    # JSONDecodeError is a ValueError; so is an integer of more digits than Python converts
    if _depth(data) > MAX_DEPTH:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels; roboverify refuses it")
    return data


def _depth(data: Any) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                items = value.values() if isinstance(value, dict) else value
                stack.extend((item, depth + 1) for item in items)
    return deepest
