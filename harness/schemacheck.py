"""The part of JSON Schema that the project's own schemas use, checked without a dependency.

Keywords: `type` (object, array, string, integer, number, boolean), `properties`,
`additionalProperties: false`, `required`, `enum`, `pattern`, `minLength`, `items`,
`oneOf` and `not`. Any other keyword is ignored, so a schema that needs one must
be checked with a full validator (the tests check the stack schema with `jsonschema`
too, on the same good and bad files).

Invariant: the first problem found is returned as one sentence naming where it is
(`middleware[1].clas`), what the schema wants and the value seen; None when valid.
"""

from __future__ import annotations

import re
from typing import Any

TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def problem(value: Any, schema: dict[str, Any], where: str = "") -> str | None:
    """The first way `value` breaks `schema`, as one sentence; None when it does not."""
    for check in (_type, _enum, _string, _object, _items, _one_of, _not):
        found = check(value, schema, where)
        if found:
            return found
    return None


def _name(where: str) -> str:
    return where or "the file"


def _type(value: Any, schema: dict[str, Any], where: str) -> str | None:
    wanted = schema.get("type")
    if wanted is None:
        return None
    fits = isinstance(value, TYPES[wanted]) and not (
        wanted in ("integer", "number") and isinstance(value, bool)
    )
    return (
        None
        if fits
        else f"{_name(where)} must be a{'n' * (wanted[0] in 'aeio')} {wanted}, not {value!r}"
    )


def _enum(value: Any, schema: dict[str, Any], where: str) -> str | None:
    choices = schema.get("enum")
    if choices is None or value in choices:
        return None
    return f"{_name(where)} is {value!r}: choose from {', '.join(map(str, choices))}"


def _string(value: Any, schema: dict[str, Any], where: str) -> str | None:
    if not isinstance(value, str):
        return None
    if len(value) < schema.get("minLength", 0):
        return f"{_name(where)} must not be empty"
    pattern = schema.get("pattern")
    if pattern and re.search(pattern, value) is None:
        return f"{_name(where)} is {value!r}, which does not match {pattern}"
    return None


def _object(value: Any, schema: dict[str, Any], where: str) -> str | None:
    if not isinstance(value, dict):
        return None
    known = schema.get("properties", {})
    if schema.get("additionalProperties") is False:
        unknown = [key for key in value if key not in known]
        if unknown:
            return f"unknown key {_join(where, unknown[0])!r}: the keys here are {', '.join(known)}"
    missing = [key for key in schema.get("required", []) if key not in value]
    if missing:
        return f"{_name(where)} needs the key {missing[0]!r}"
    for key, item in value.items():
        if key in known:
            found = problem(item, known[key], _join(where, key))
            if found:
                return found
    return None


def _items(value: Any, schema: dict[str, Any], where: str) -> str | None:
    if not isinstance(value, list) or "items" not in schema:
        return None
    for index, item in enumerate(value):
        found = problem(item, schema["items"], f"{where}[{index}]")
        if found:
            return found
    return None


def _one_of(value: Any, schema: dict[str, Any], where: str) -> str | None:
    options = schema.get("oneOf")
    if options is None:
        return None
    fitting = [option for option in options if problem(value, option, where) is None]
    if len(fitting) == 1:
        return None
    keys = [key for option in options for key in option.get("required", [])]
    return f"{_name(where)} needs exactly one of {', '.join(keys)}; it has {len(fitting)}"


def _not(value: Any, schema: dict[str, Any], where: str) -> str | None:
    excluded = schema.get("not")
    if excluded is None or problem(value, excluded, where) is not None:
        return None
    keys = excluded.get("required", [])
    return f"{_name(where)} may not have {' and '.join(keys)} together: choose one"


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
