"""A small declarative schema for YAML data: every problem is reported with its key path.

Each option is a small object with a `check(value, path, problems)` method that
returns the converted value (or None after recording a problem).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

from generator.errors import Problem


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


class Option:
    default: Any = None
    required: bool = False

    def check(self, value: Any, path: str, problems: list[Problem]) -> Any:  # pragma: no cover
        raise NotImplementedError


@dataclass
class Str(Option):
    default: Any = None
    required: bool = False
    pattern: str | None = None
    hint: str = ""
    choices: tuple[str, ...] | None = None
    allow_empty: bool = True

    def check(self, value, path, problems):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            problems.append(Problem(f"{path}: expected text, got {type_name(value)}"))
            return None
        if not value and not self.allow_empty:
            problems.append(Problem(f"{path}: must not be empty"))
            return None
        if self.pattern and not re.fullmatch(self.pattern, value):
            problems.append(Problem(f"{path}: {value!r} is not valid{': ' + self.hint if self.hint else ''}"))
            return None
        if self.choices and value not in self.choices:
            problems.append(Problem(f"{path}: {value!r} is not one of {', '.join(self.choices)}"))
            return None
        return value


def Slug(**kw) -> Str:
    return Str(pattern=r"[a-z0-9]+(?:-[a-z0-9]+)*", hint="use lowercase ASCII letters, digits and '-'", **kw)


@dataclass
class Url(Option):
    default: Any = None
    required: bool = False

    def check(self, value, path, problems):
        if not isinstance(value, str):
            problems.append(Problem(f"{path}: expected a URL, got {type_name(value)}"))
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(Problem(f"{path}: {value!r} is not an absolute http(s) URL"))
            return None
        if parts.query or parts.fragment:
            problems.append(Problem(f"{path}: {value!r} must not carry a query or fragment"))
            return None
        return value if value.endswith("/") else value + "/"


@dataclass
class Int(Option):
    default: Any = None
    required: bool = False
    min: int | None = None
    max: int | None = None

    def check(self, value, path, problems):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Problem(f"{path}: expected a whole number, got {type_name(value)}"))
            return None
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            problems.append(Problem(f"{path}: {value} is out of range ({self.min}..{self.max})"))
            return None
        return value


@dataclass
class Float(Option):
    default: Any = None
    required: bool = False
    min: float | None = None
    max: float | None = None

    def check(self, value, path, problems):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(Problem(f"{path}: expected a number, got {type_name(value)}"))
            return None
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            problems.append(Problem(f"{path}: {value} is out of range ({self.min}..{self.max})"))
            return None
        return float(value)


@dataclass
class Bool(Option):
    default: Any = None
    required: bool = False

    def check(self, value, path, problems):
        if not isinstance(value, bool):
            problems.append(Problem(f"{path}: expected true or false, got {type_name(value)}"))
            return None
        return value


@dataclass
class ListOf(Option):
    item: Option = field(default_factory=Str)
    default: Any = field(default_factory=list)
    required: bool = False
    unique_by: str | None = None  # for records: a field whose values must be unique

    def check(self, value, path, problems):
        if value is None:
            return []
        if isinstance(value, str) and isinstance(self.item, Str):
            value = [value]
        if not isinstance(value, list):
            problems.append(Problem(f"{path}: expected a list, got {type_name(value)}"))
            return None
        out = []
        seen: dict[Any, int] = {}
        for i, item in enumerate(value):
            checked = self.item.check(item, _join(path, i), problems)
            if checked is None:
                continue
            if self.unique_by:
                key = checked[self.unique_by] if isinstance(checked, dict) else getattr(checked, self.unique_by)
                if key in seen:
                    problems.append(Problem(f"{_join(path, i)}.{self.unique_by}: {key!r} repeats item {seen[key]}"))
                    continue
                seen[key] = i
            out.append(checked)
        return out


@dataclass
class MapOf(Option):
    """A mapping of free text keys to checked values."""

    item: Option = field(default_factory=Str)
    default: Any = field(default_factory=dict)
    required: bool = False

    def check(self, value, path, problems):
        if value is None:
            return {}
        if not isinstance(value, dict):
            problems.append(Problem(f"{path}: expected a mapping, got {type_name(value)}"))
            return None
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key:
                problems.append(Problem(f"{path}: keys must be non-empty text, got {key!r}"))
                continue
            checked = self.item.check(item, _join(path, key), problems)
            if checked is not None:
                out[key] = checked
        return out


@dataclass
class Record(Option):
    """A mapping with known keys; unknown keys are errors. Builds `cls(**values)`."""

    fields: dict[str, Option] = field(default_factory=dict)
    cls: Callable[..., Any] | None = None
    default: Any = None
    required: bool = False

    def check(self, value, path, problems):
        if value is None:
            value = {}
        if not isinstance(value, dict):
            problems.append(Problem(f"{path or 'top level'}: expected a mapping, got {type_name(value)}"))
            return None
        before = len(problems)
        for key in value:
            if key not in self.fields:
                known = ", ".join(sorted(self.fields))
                problems.append(Problem(f"{_join(path, key)}: unknown key (known keys: {known})"))
        out = {}
        for name, option in self.fields.items():
            if name in value and value[name] is not None:
                out[name] = option.check(value[name], _join(path, name), problems)
            elif option.required:
                problems.append(Problem(f"{_join(path, name)}: required key is missing"))
            else:
                default = option.default
                if isinstance(option, Record) and default is None:
                    default = option.check({}, _join(path, name), problems)
                out[name] = default
        if len(problems) != before:
            return None
        return self.cls(**out) if self.cls else out


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)
