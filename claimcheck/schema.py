"""The rules ``data/datapackage.json`` declares, checked by Frictionless.

``datapackage.json`` is the one place that says what each column may hold: ids and their
patterns, the grade, verdict and topic lists (``enum``), required cells, numbers and dates.
:func:`check_table` validates one CSV against its resource's schema with Frictionless and
returns a :class:`Problem` per broken cell, with a message naming the rule
(``must be one of primary, secondary, assumption; unknown grade 'tertiary'``); the callers
(:mod:`claimcheck.sources`, :mod:`claimcheck.register`) add the file and row.

Frictionless costs about half a second per load (mostly its import), so a table that
passed is remembered by the hash of its bytes and of its schema: the next load of the
same content skips it. The cache is a folder of empty marker files,
``$CLAIMCHECK_CACHE`` or ``~/.cache/claimcheck`` (``$XDG_CACHE_HOME`` respected); if it
cannot be written, every load validates.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Problem", "SchemaError", "read_package", "resource", "enum", "check_table", "check_table_with",
           "cache_dir"]

#: Bump when the way problems are found or worded changes, so old "valid" marks are ignored.
_CHECKER_VERSION = "1"
_CONSTRAINT_RE = re.compile(r'constraint "(\w+)"')
_SAME_ROW_RE = re.compile(r"row at position (\d+)")


class SchemaError(ValueError):
    """datapackage.json is missing, unreadable, or does not describe a table."""


@dataclass(frozen=True)
class Problem:
    """One broken cell or header: Frictionless's row number (the header is row 1, so the
    first data row is 2), the column, and what is wrong."""

    row: int | None
    field: str | None
    message: str
    #: For a duplicate: the Frictionless row number of the first row with the same value.
    same_as: int | None = None


# --------------------------------------------------------------------------- the package


@functools.lru_cache(maxsize=16)
def _read_package(path: str, mtime_ns: int) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaError(f"{Path(path).name}: cannot be read as JSON: {exc}") from exc


def read_package(path: Path | str) -> dict:
    """The descriptor of a ``datapackage.json`` (a dict), read once per modification."""
    path = Path(path)
    if not path.is_file():
        raise SchemaError(f"datapackage.json: not found at {path} (it holds the tables' schemas)")
    return _read_package(str(path), path.stat().st_mtime_ns)


def resource(package: dict, path: str) -> dict:
    """The resource whose ``path`` is ``path`` (a file name such as ``fleet.csv``)."""
    for res in package.get("resources", []):
        if res.get("path") == path:
            return res
    raise SchemaError(f"{path}: not described in datapackage.json; add a resource with its "
                      "schema (copy the fields of a table like it, see CONTRIBUTING.md)")


def enum(package: dict, field: str, paths: list[str] | None = None) -> tuple[str, ...]:
    """The ``enum`` of ``field``, which every resource declaring it (or every resource in
    ``paths``) must give identically."""
    found: dict[tuple, list[str]] = {}
    for res in package.get("resources", []):
        if paths is not None and res.get("path") not in paths:
            continue
        for f in res.get("schema", {}).get("fields", []):
            if f.get("name") == field:
                values = tuple(f.get("constraints", {}).get("enum", ()))
                found.setdefault(values, []).append(res.get("path", "?"))
    if not found or found.keys() == {()}:
        raise SchemaError(f"datapackage.json: no resource gives field '{field}' an enum")
    if len(found) > 1:
        detail = "; ".join(f"{', '.join(v) or 'none'} in {', '.join(p)}" for v, p in found.items())
        raise SchemaError(f"datapackage.json: field '{field}' has different enums: {detail}")
    return next(iter(found))


# --------------------------------------------------------------------------- the cache


def cache_dir() -> Path:
    """Where tables that passed are remembered (see the module docstring)."""
    env = os.environ.get("CLAIMCHECK_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "claimcheck"


def _frictionless_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("frictionless")
    except PackageNotFoundError:
        return "none"


def _key(descriptor: dict, data: bytes) -> str:
    h = hashlib.sha256()
    for part in (_CHECKER_VERSION, _frictionless_version(),
                 json.dumps(descriptor, sort_keys=True)):
        h.update(part.encode("utf-8") + b"\0")
    h.update(data)
    return h.hexdigest()


def _marker(key: str) -> Path:
    return cache_dir() / "schema-valid" / key


def _remember(key: str) -> None:
    marker = _marker(key)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only home only costs speed


# --------------------------------------------------------------------------- checking


def check_table(path: Path | str, package_path: Path | str) -> list[Problem]:
    """Every cell or header of ``path`` that breaks its schema in ``package_path``.

    An empty list means the table follows its schema. Raises :class:`SchemaError` when the
    package is missing or does not describe the table.
    """
    return check_table_with(path, resource(read_package(package_path), Path(path).name))


def check_table_with(path: Path | str, descriptor: dict) -> list[Problem]:
    """Like :func:`check_table`, with the resource ``descriptor`` given (its ``path`` is
    replaced by ``path``): for a file checked against another folder's schema."""
    path = Path(path)
    key = _key(descriptor, path.read_bytes())
    if _marker(key).is_file():
        return []
    problems = _validate(path, descriptor)
    if not problems:
        _remember(key)
    return problems


def _validate(path: Path, descriptor: dict) -> list[Problem]:
    try:
        from frictionless import (
            Resource,  # imported only when the cache misses
        )
    except ImportError:
        raise SchemaError(f"{path.name}: checking it against datapackage.json needs "
                          "Frictionless (pip install frictionless)") from None

    descriptor = {k: v for k, v in descriptor.items() if k not in {"sources", "licenses"}}
    descriptor["path"] = path.name
    res = Resource.from_descriptor(descriptor, basepath=str(path.parent))
    report = res.validate()
    fields = {f["name"]: f for f in descriptor.get("schema", {}).get("fields", [])}
    errors = [e for task in report.tasks for e in task.errors]
    unique_rows = {e.row_number for e in errors if e.type == "unique-error"}
    problems = []
    for e in errors:
        if e.type == "primary-key" and e.row_number in unique_rows:
            continue  # the same duplicate, already reported for its field
        problems.append(_problem(e, fields, descriptor.get("schema", {})))
    return problems


def _problem(e, fields: dict, schema: dict) -> Problem:
    row = getattr(e, "row_number", None)
    name = getattr(e, "field_name", None)
    cell = getattr(e, "cell", None)
    field = fields.get(name, {})
    if e.type == "constraint-error":
        m = _CONSTRAINT_RE.search(e.note)
        rule = m.group(1) if m else ""
        value = field.get("constraints", {}).get(rule)
        if rule == "required":
            return Problem(row, name, "is empty (datapackage.json requires it)")
        if rule == "enum":
            return Problem(row, name, f"must be one of {', '.join(map(str, value))}; "
                                      f"unknown {name} {cell!r}")
        if rule == "pattern" and not str(cell).strip():
            return Problem(row, name, f"is blank (datapackage.json requires text matching {value})")
        if rule == "pattern":
            return Problem(row, name, f"must match the pattern {value}, got {cell!r}")
        return Problem(row, name, f"breaks the constraint {rule} = {value!r}: {cell!r}")
    if e.type == "type-error":
        kind, fmt = field.get("type", "?"), field.get("format", "default")
        what = {"number": "a number", "integer": "a whole number"}.get(kind, f"a {kind}")
        if kind == "date" and fmt in ("default", "%Y-%m-%d"):
            what = "an ISO date (YYYY-MM-DD) that exists"
        elif fmt != "default":
            what += f" in the format {fmt}"
        return Problem(row, name, f"is not {what}: {cell!r}")
    if e.type in ("unique-error", "primary-key"):
        # The caller names the first row ("duplicates row 3 ...") from same_as.
        m = _SAME_ROW_RE.search(e.note)
        name = name or (schema.get("primaryKey") or [None])[0]
        what = f"{cell!r} must be unique" if cell is not None else "must be unique"
        return Problem(row, name, f"({what})", same_as=int(m.group(1)) if m else None)
    label = getattr(e, "label", None)
    if e.type == "missing-label":
        return Problem(None, name, "is missing (datapackage.json lists it)")
    if e.type in ("extra-label", "incorrect-label", "duplicate-label", "blank-label"):
        return Problem(None, label or name,
                       f"does not match the schema in datapackage.json ({e.type}: {e.note})")
    return Problem(row, name, f"{e.type}: {e.note}")
