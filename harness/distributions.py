"""Distributions of randomised scenario parameters, written in specs as ``uniform(a, b)``.

A spec may write a plain number (a constant), ``uniform(low, high)``, ``normal(mean, std)``,
``choice([a, b, ...])`` or the equivalent mapping such as ``{uniform: [low, high]}``.
"""

from __future__ import annotations

import ast
import re
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

Scalar = float | int | str | bool


class _Distribution(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Constant(_Distribution):
    kind: Literal["constant"] = "constant"
    value: Scalar

    def sample(self, rng: np.random.Generator) -> Scalar:
        return self.value

    def describe(self) -> str:
        return repr(self.value)


class Uniform(_Distribution):
    kind: Literal["uniform"] = "uniform"
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low <= self.high:
            raise ValueError(f"uniform(low, high) needs low <= high, got ({self.low}, {self.high})")
        return self

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    def describe(self) -> str:
        return f"uniform({self.low:g}, {self.high:g})"


class Normal(_Distribution):
    kind: Literal["normal"] = "normal"
    mean: float
    std: float = Field(ge=0.0)

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.normal(self.mean, self.std))

    def describe(self) -> str:
        return f"normal({self.mean:g}, {self.std:g})"


class Choice(_Distribution):
    kind: Literal["choice"] = "choice"
    options: list[Scalar] = Field(min_length=1)

    def sample(self, rng: np.random.Generator) -> Scalar:
        return self.options[int(rng.integers(len(self.options)))]

    def describe(self) -> str:
        return f"choice({self.options!r})"


_CALL = re.compile(r"^\s*(uniform|normal|choice)\s*\((.*)\)\s*$", re.DOTALL)
_ARGUMENT_NAMES = {"uniform": ("low", "high"), "normal": ("mean", "std"), "choice": ("options",)}
EXPECTED = "a number, 'uniform(low, high)', 'normal(mean, std)' or 'choice([a, b, ...])'"


def parse_distribution(raw: Any) -> Any:
    """Turn the spec's short forms into the mapping the models validate."""
    if isinstance(raw, bool | int | float):
        return {"kind": "constant", "value": raw}
    if isinstance(raw, str):
        return _parse_call(raw)
    if isinstance(raw, dict) and "kind" not in raw:
        if len(raw) != 1 or next(iter(raw)) not in _ARGUMENT_NAMES:
            raise ValueError(f"expected {EXPECTED} (or e.g. {{uniform: [low, high]}}), got {raw!r}")
        ((name, arguments),) = raw.items()
        return _bind(name, arguments if isinstance(arguments, list) else [arguments], raw)
    return raw


def _parse_call(text: str) -> Any:
    match = _CALL.match(text)
    if match is None:
        raise ValueError(f"expected {EXPECTED}, got {text!r}")
    name, argument_text = match.groups()
    try:
        arguments = ast.literal_eval(f"[{argument_text}]")
    except (SyntaxError, ValueError) as error:
        raise ValueError(f"cannot read the arguments of {text!r}: expected {EXPECTED}") from error
    return _bind(name, arguments, text)


def _bind(name: str, arguments: list[Any], source: Any) -> dict[str, Any]:
    names = _ARGUMENT_NAMES[name]
    if len(arguments) != len(names):
        raise ValueError(f"{name} takes {len(names)} argument(s) ({', '.join(names)}), got {source!r}")
    return {"kind": name, **dict(zip(names, arguments, strict=True))}


Distribution = Annotated[
    Constant | Uniform | Normal | Choice,
    Field(discriminator="kind"),
    BeforeValidator(parse_distribution),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": r"^\s*(uniform|normal|choice)\s*\(.*\)\s*$"},
                {"type": "object", "maxProperties": 1},
            ],
            "description": f"A fixed value or a distribution: {EXPECTED}.",
        }
    ),
]
