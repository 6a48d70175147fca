"""Reading user files: YAML with line numbers, validation errors turned into one clear message."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from harness.errors import SpecError
from harness.faults import FAULT_KINDS
from harness.plan.reading import PLAN_MAX_BYTES, parse_yaml, read_text

Model = TypeVar("Model", bound=BaseModel)
Location = tuple[int | str, ...]


def read_yaml(path: Path, what: str = "file") -> tuple[Any, yaml.Node | None]:
    """Parse a YAML file into plain data plus its node tree (for line numbers), within the
    limits of :mod:`harness.plan.reading`."""
    text = read_text(path, what, PLAN_MAX_BYTES)
    data, node = parse_yaml(text, str(path))
    duplicates = list(_duplicate_keys(node, set()))
    if duplicates:
        raise SpecError(str(path), duplicates)
    return data, node


def _duplicate_keys(node: yaml.Node | None, seen: set[int]) -> Iterator[str]:
    """YAML lets a later key silently replace an earlier one; a plan must not. Each node is
    looked at once, however many aliases point at it."""
    if node is None or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key, value in node.value:
            line = key.start_mark.line + 1
            if isinstance(key, yaml.ScalarNode):
                if key.value in first_line:
                    yield (
                        f"line {line}: key '{key.value}' appears again (first on line "
                        f"{first_line[key.value]}); keep one of them"
                    )
                first_line.setdefault(key.value, line)
            yield from _duplicate_keys(value, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _duplicate_keys(item, seen)


@dataclass(frozen=True)
class Loaded(Generic[Model]):
    """A validated file with what is needed to point at its lines later."""

    model: Model
    file: str
    node: yaml.Node | None

    def problem(self, location: Location, message: str) -> str:
        line = line_of(self.node, location)
        where = f"line {line}, " if line is not None else ""
        return f"{where}field '{format_location(location)}': {message}"


def load_model(model: type[Model], path: Path) -> Loaded[Model]:
    """Read ``path`` as YAML and validate it as ``model``; any problem is a :class:`SpecError`."""
    data, node = read_yaml(path)
    if data is None:
        raise SpecError(str(path), [f"the file is empty; expected a mapping of {model.__name__} fields"])
    if not isinstance(data, dict):
        found = type(data).__name__
        raise SpecError(
            str(path), [f"expected a mapping of {model.__name__} fields at the top level, got a {found}"]
        )
    return Loaded(validate_data(model, data, str(path), node), str(path), node)


def load_model_leniently(model: type[Model], path: Path) -> Loaded[Model] | None:
    """The file validated without its unknown top-level keys, or None if that is not enough.

    Lets a file with a misspelt key still be checked for its other problems in one pass.
    """
    try:
        data, node = read_yaml(path)
    except SpecError:
        return None
    if not isinstance(data, dict):
        return None
    known = {k: v for k, v in data.items() if k in model.model_fields}
    try:
        return Loaded(model.model_validate(known), str(path), node)
    except ValidationError:
        return None


def validate_data(model: type[Model], data: Any, file: str, node: yaml.Node | None = None) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [describe_error(detail, model, node) for detail in error.errors()]
        raise SpecError(file, problems) from None


def describe_error(detail: Any, model: type[BaseModel], node: yaml.Node | None) -> str:
    written: Location = tuple(detail["loc"])
    if detail["type"] == "extra_forbidden" and written:  # an unknown key is what the user wrote
        location: Location = (*(p for p in written[:-1] if not _is_union_tag(p)), written[-1])
    else:
        location = tuple(part for part in written if not _is_union_tag(part))
    if detail["type"] == "union_tag_invalid":  # the tag is a field the user wrote: point at it
        location = (*location, str(detail["ctx"]["discriminator"]).strip("'"))
    field = format_location(location)
    line = line_of(node, location)
    where = f"line {line}, " if line is not None else ""
    return f"{where}field '{field}': {_explain(detail, model, location)}"


# pydantic puts the chosen member of a tagged union into error locations; users never wrote it
UNION_TAGS = frozenset(
    {"constant", "uniform", "normal", "choice"}  # distributions
    | {"success_rate", "criterion_pass_rate", "zero_events", "criterion_value", "efficiency_improvement"}
    | {"recovery_rate", "interventions_per_1000_cycles"}
    | {"count", "sequential"}  # episodes
    | set(FAULT_KINDS)
)


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and (part in UNION_TAGS or "[" in part)


def format_location(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _explain(detail: Any, model: type[BaseModel], location: Location) -> str:
    kind = detail["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, location[:-1])
        hint = difflib.get_close_matches(str(location[-1]), allowed, n=1)
        fix = f"did you mean '{hint[0]}'?" if hint else "remove it"
        return f"unknown key; {fix} Allowed keys here: {', '.join(allowed) or 'none'}"
    if kind == "missing":
        return "required field is missing; add it"
    if kind == "union_tag_invalid":
        context = detail["ctx"]
        return f"unknown {location[-1]} {context['tag']!r}; expected one of {context['expected_tags']}"
    message = str(detail["msg"]).removeprefix("Value error, ")
    if "got " in message or not location:  # says it already, or the input is the whole file
        return message
    return f"{message} (got {_short(detail.get('input'))})"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(model: type[BaseModel], location: Location) -> list[str]:
    """Field names of the (nested) model at ``location``, for unknown-key hints."""
    current: Any = model
    for part in location:
        if isinstance(part, int) or not _is_model(current):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        current = _model_in(field.annotation)
    return sorted(current.model_fields) if _is_model(current) else []


def _is_model(candidate: Any) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, BaseModel)


def _model_in(annotation: Any) -> Any:
    if _is_model(annotation):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def line_of(node: yaml.Node | None, location: Location) -> int | None:
    """1-based line of the deepest YAML node that ``location`` reaches."""
    if node is None:
        return None
    line = node.start_mark.line
    for part in location:
        found = _child(node, part)
        if found is None:
            break
        # a key's own line, not its value's: a block value starts on the next line
        line, node = found[0].start_mark.line, found[1]
    return line + 1


def _child(node: yaml.Node, part: int | str) -> tuple[yaml.Node, yaml.Node] | None:
    """The (node to point at, node to descend into) for one step of a location."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item: yaml.Node = node.value[part]
        return item, item
    return None
