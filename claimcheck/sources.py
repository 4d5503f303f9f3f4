"""Load the sourced figures in ``data/*.csv`` and check every row before anyone uses it.

Each topic table (``accelerators.csv``, ``systems.csv``, ...) has the columns described
in ``CONTRIBUTING.md``::

    id, quantity, [descriptive columns such as entity, precision, sparsity, kind, date],
    value, low, high, unit, source, locator, accessed, grade, note

``grade`` says what kind of source backs the figure: ``primary`` (the issuer's own
document), ``secondary`` (reporting on it) or ``assumption`` (a labelled modelling
choice of the book's). A figure is used through :func:`figure` (everything about one row) or :func:`value`
(its central value as a pint Quantity)::

    >>> from claimcheck.sources import figure, value
    >>> value("h100_bf16_dense").to("TFLOP/s")          # doctest: +SKIP
    >>> figure("xai_water_demand").high                 # doctest: +SKIP

Every table is validated when it is loaded; a broken row raises :class:`DataError`
whose message names the file, the 1-based data row, the row's id, the column and the
rule, for example ``accelerators.csv row 3 (h100_bf16_dense): column 'grade' must be one
of primary, secondary, assumption; unknown grade 'tertiary'``. The rules on single cells are
``data/datapackage.json``'s, checked by Frictionless (:mod:`claimcheck.schema`); this
module checks the rest (ranges, units, bibliography keys, complete FLOP/s rows).
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import pint

from . import schema
from .units import Q_, format_figure, ureg

__all__ = [
    "DataError", "UnknownFigure", "Figure", "REQUIRED_COLUMNS", "TAIL_COLUMNS", "GRADES", "NOT_RECHECKED",
    "data_dir", "bibliography_path", "bibliography_keys", "table_names",
    "load_table", "validate_all", "figure", "value", "figures",
    "source_name", "table", "linked", "source_anchor", "REFERENCES_PAGE", "weaker_rows",
]

#: The columns every topic table has, in this order; descriptive columns sit between
#: ``quantity`` and ``value``.
HEAD_COLUMNS = ("id", "quantity")
TAIL_COLUMNS = ("value", "low", "high", "unit", "source", "locator", "accessed", "grade", "note")
REQUIRED_COLUMNS = HEAD_COLUMNS + TAIL_COLUMNS

#: Files in ``data/`` that are not topic tables (the claims register has its own schema).
NOT_TOPIC_TABLES = frozenset({"claims.csv", "headlines.csv"})  # registers, not figures


#: A row whose ``accessed`` is empty (nothing was read for it) must say this in its note.
NOT_RECHECKED = "not re-checked"

#: Extra columns FLOP/s rows must fill in (the values they may take are enums in
#: datapackage.json).
FLOPS_COLUMNS = ("precision", "sparsity", "kind")

_BIB_KEY_RE = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]+)\s*,")
_FLOP_RATE = ureg.Unit("FLOP/s").dimensionality


class DataError(ValueError):
    """A data table or the bibliography is broken; the message says where and why.

    ``errors`` holds one message per problem found (the exception text joins them).
    """

    def __init__(self, errors):
        if isinstance(errors, str):
            errors = [errors]
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


class UnknownFigure(DataError, KeyError):
    """No table has a row with the requested id."""

    def __str__(self) -> str:  # KeyError would quote the message
        return "\n".join(self.errors)


@dataclass(frozen=True)
class Figure:
    """One sourced figure: a row of a data table, with units attached.

    ``value`` is a pint Quantity; ``low`` and ``high`` are Quantities in the same unit,
    or None when the row gives no range. ``attrs`` holds the table's descriptive
    columns (``entity``, ``precision``, ``sparsity``, ``kind``, ``date``, ...) as strings.
    """

    id: str
    quantity: str
    value: pint.Quantity
    low: pint.Quantity | None
    high: pint.Quantity | None
    unit: str
    source: str
    locator: str
    accessed: str
    grade: str
    note: str
    table: str
    attrs: Mapping[str, str] = field(default_factory=dict, hash=False, compare=True)

    def __post_init__(self):
        object.__setattr__(self, "attrs", MappingProxyType(dict(self.attrs)))

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None

    def __getattr__(self, name):
        # Descriptive columns read like attributes too: fig.precision, fig.date.
        attrs = object.__getattribute__(self, "attrs")
        if name in attrs:
            return attrs[name]
        raise AttributeError(f"{type(self).__name__} {self.id!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- paths


def data_dir() -> Path:
    """The folder holding the data tables.

    In order: ``$CLAIMCHECK_DATA`` if set; else the first ``data/`` folder containing a
    ``datapackage.json`` found walking up from the current working directory; else the
    ``data/`` folder beside the installed package.
    """
    env = os.environ.get("CLAIMCHECK_DATA")
    if env:
        return Path(env).expanduser().resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if folder.name == "data" and (folder / "datapackage.json").is_file():
            return folder
        candidate = folder / "data"
        if (candidate / "datapackage.json").is_file():
            return candidate
    return Path(__file__).resolve().parents[1] / "data"


#: What may back a figure: the issuer's own document, reporting on it, or a labelled
#: modelling choice of the book's. The list is the ``grade`` enum in datapackage.json.
GRADES: tuple[str, ...] = schema.enum(schema.read_package(data_dir() / "datapackage.json"), "grade")


def _resolve(data_dir_: Path | str | None) -> Path:
    return Path(data_dir_).resolve() if data_dir_ is not None else data_dir()


def bibliography_path(data_dir_: Path | str | None = None) -> Path:
    """``references.bib`` inside the data folder if there is one (a student zip may ship
    it there), else ``book/references.bib`` next to the data folder."""
    folder = _resolve(data_dir_)
    local = folder / "references.bib"
    if local.is_file():
        return local
    return folder.parent / "book" / "references.bib"


@functools.lru_cache(maxsize=32)
def _bib_keys_cached(path: str, mtime_ns: int) -> frozenset[str]:
    text = Path(path).read_text(encoding="utf-8")
    return frozenset(key for kind, key in _BIB_KEY_RE.findall(text)
                     if kind.lower() not in {"comment", "preamble", "string"})


def bibliography_keys(data_dir_: Path | str | None = None) -> frozenset[str]:
    """The citation keys defined in the bibliography (see :func:`bibliography_path`)."""
    path = bibliography_path(data_dir_)
    if not path.is_file():
        raise DataError(f"references.bib: not found at {path} "
                        f"(nor at {_resolve(data_dir_) / 'references.bib'})")
    return _bib_keys_cached(str(path), path.stat().st_mtime_ns)


def table_names(data_dir_: Path | str | None = None) -> list[str]:
    """File names of the topic tables in the data folder (``claims.csv`` excluded)."""
    folder = _resolve(data_dir_)
    if not folder.is_dir():
        raise DataError(f"data folder not found: {folder}")
    return sorted(p.name for p in folder.glob("*.csv") if p.name not in NOT_TOPIC_TABLES)


# --------------------------------------------------------------------------- validation
#
# The rules on one cell (id pattern, required cells, numbers, ISO dates, the grade,
# sparsity and kind lists) live in datapackage.json and are checked by Frictionless
# (claimcheck.schema). Python checks only what a cell-by-cell schema cannot say.


def _parse_unit(unit: str):
    """The pint Unit for ``unit``, or None if pint cannot parse it."""
    try:
        return ureg.Unit(unit)
    except Exception:  # pint raises several error types (and AttributeError/TypeError)
        return None


def _real_day(text: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` names a day that exists (the schema's
    pattern checks the shape and ranges; only a calendar knows 2025-02-30)."""
    parts = [int(p) for p in text.split("-")]
    try:
        _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return False
    return True


def _check_columns(name: str, columns: list[str]) -> list[str]:
    errors = []
    for col in REQUIRED_COLUMNS:
        if col not in columns:
            errors.append(f"{name} header: column '{col}' is missing (required columns: "
                          f"{', '.join(REQUIRED_COLUMNS)})")
    if errors:
        return errors
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    for col in dupes:
        errors.append(f"{name} header: column '{col}' appears more than once")
    if tuple(columns[:2]) != HEAD_COLUMNS or tuple(columns[-len(TAIL_COLUMNS):]) != TAIL_COLUMNS:
        errors.append(f"{name} header: columns are out of order; expected id, quantity, "
                      f"[descriptive columns], {', '.join(TAIL_COLUMNS)}; got {', '.join(columns)}")
    return errors


def _where(name: str, frame: pd.DataFrame, row: int) -> str:
    """``fleet.csv row 3 (tesla_cameras_per_vehicle)`` for the 1-based data row ``row``."""
    rid = frame["id"].iloc[row - 1] if 0 < row <= len(frame) else ""
    return f"{name} row {row} ({rid or '<no id>'})"


def _schema_errors(path: Path, frame: pd.DataFrame) -> list[str]:
    """The datapackage.json rules this table breaks, each naming file, row, id and column."""
    try:
        problems = schema.check_table(path, path.parent / "datapackage.json")
    except schema.SchemaError as exc:
        raise DataError(str(exc)) from None
    errors = []
    for p in problems:
        column = f"column '{p.field}' " if p.field else ""
        if p.same_as:
            column += f"duplicates row {p.same_as - 1} "
        if p.row is None:
            errors.append(f"{path.name} header: {column}{p.message}")
        else:  # Frictionless counts the header as row 1
            errors.append(f"{_where(path.name, frame, p.row - 1)}: {column}{p.message}")
    return errors


def _check_rows(name: str, frame: pd.DataFrame, bib: frozenset[str]) -> list[str]:
    """The rules across a row's cells, or against the units and the bibliography."""
    errors: list[str] = []
    columns = list(frame.columns)
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        where = _where(name, frame, i)

        def err(col, msg, where=where):
            errors.append(f"{where}: column '{col}' {msg}")

        # Frictionless's number type takes NaN and infinity; no figure is either.
        value, lo, hi = (float(rec[c]) if rec[c] else None for c in ("value", "low", "high"))
        for col, x in (("value", value), ("low", lo), ("high", hi)):
            if x is not None and not math.isfinite(x):
                err(col, f"is not a finite number: {rec[col]!r}")
                value = lo = hi = None  # no range checks on it
        if (lo is None) != (hi is None):
            given, missing = ("low", "high") if lo is not None else ("high", "low")
            err(missing, f"is empty but '{given}' is set; give both low and high or neither")
        if value is not None and lo is not None and lo > value:
            err("low", f"is above the value ({rec['low']} > {rec['value']}); need low <= value <= high")
        if value is not None and hi is not None and value > hi:
            err("high", f"is below the value ({rec['high']} < {rec['value']}); need low <= value <= high")

        unit = _parse_unit(rec["unit"]) if rec["unit"] else None
        if rec["unit"] and unit is None:
            err("unit", f"cannot be parsed by claimcheck.units.ureg: {rec['unit']!r}")

        if rec["source"] and rec["source"] not in bib:
            err("source", f"key {rec['source']!r} is not in references.bib")

        if not rec["accessed"] and NOT_RECHECKED not in rec["note"].lower():
            err("accessed", f"is empty; give the date the source was read (YYYY-MM-DD), "
                            f"or say '{NOT_RECHECKED}' and what could not be checked in the note")

        if "date" in columns and rec["date"] and not _real_day(rec["date"]):
            err("date", f"is not a day on the calendar: {rec['date']!r}")

        if unit is not None and unit.dimensionality == _FLOP_RATE:
            for col in FLOPS_COLUMNS:
                if col not in columns:
                    err(col, "is missing from the table; FLOP/s rows need precision, sparsity and kind")
                elif not rec[col]:
                    err(col, "is empty; FLOP/s rows need precision, sparsity and kind")
    return errors


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                            encoding="utf-8")
    except pd.errors.ParserError as exc:
        raise DataError(f"{path.name}: cannot be read as CSV: {exc}") from exc
    except pd.errors.EmptyDataError as exc:
        raise DataError(f"{path.name} header: the file is empty") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.map(lambda s: s.strip() if isinstance(s, str) else s)


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, bib_path: str, bib_mtime_ns: int,
                 package_mtime_ns: int) -> pd.DataFrame:
    p = Path(path)
    frame = _read_csv(p)
    errors = _check_columns(p.name, list(frame.columns))
    if errors:
        raise DataError(errors)
    errors = _schema_errors(p, frame)
    if errors:  # cross-field checks need numbers that parse
        raise DataError(errors)
    errors = _check_rows(p.name, frame, _bib_keys_cached(bib_path, bib_mtime_ns))
    if errors:
        raise DataError(errors)
    for col in ("value", "low", "high"):
        frame[col] = pd.to_numeric(frame[col].replace("", None), errors="raise").astype(float)
    return frame


def load_table(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """One topic table as a DataFrame, after checking every row.

    ``name`` may omit ``.csv``. ``value``, ``low`` and ``high`` are floats (NaN where a
    row gives no range); every other column is a string. Raises :class:`DataError`.
    """
    folder = _resolve(data_dir)
    fname = name if name.endswith(".csv") else f"{name}.csv"
    if fname in NOT_TOPIC_TABLES:
        raise DataError(f"{fname}: not a topic table (it has its own schema; read it with pandas)")
    path = folder / fname
    if not path.is_file():
        known = ", ".join(table_names(folder)) if folder.is_dir() else "none"
        raise DataError(f"{fname}: no such table in {folder} (tables: {known})")
    bib = bibliography_path(folder)
    if not bib.is_file():
        raise DataError(f"references.bib: not found at {bib} (needed to check {fname} sources)")
    package = folder / "datapackage.json"
    if not package.is_file():
        raise DataError(f"datapackage.json: not found in {folder} (it holds {fname}'s schema)")
    frame = _load_cached(str(path), path.stat().st_mtime_ns, str(bib), bib.stat().st_mtime_ns,
                         package.stat().st_mtime_ns)
    return frame.copy()


def validate_all(data_dir: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Load and check every topic table, and check that ids are unique across tables.

    Returns ``{file name: DataFrame}``. Raises :class:`DataError` listing every problem.
    """
    folder = _resolve(data_dir)
    tables: dict[str, pd.DataFrame] = {}
    errors: list[str] = []
    for fname in table_names(folder):
        try:
            tables[fname] = load_table(fname, folder)
        except DataError as exc:
            errors.extend(exc.errors)
    owner: dict[str, tuple[str, int]] = {}
    for fname, frame in tables.items():
        for i, rid in enumerate(frame["id"], start=1):
            if rid in owner and owner[rid][0] != fname:
                other, j = owner[rid]
                errors.append(f"{fname} row {i} ({rid}): column 'id' duplicates {other} row {j} "
                              "(ids must be unique across all tables)")
            else:
                owner.setdefault(rid, (fname, i))
    if errors:
        raise DataError(errors)
    return tables


# --------------------------------------------------------------------------- figures


def _quantity(x: float, unit: str) -> pint.Quantity:
    return Q_(float(x), unit)


@functools.lru_cache(maxsize=16)
def _index(folder: str, stamp: tuple) -> Mapping[str, Figure]:
    figures: dict[str, Figure] = {}
    for fname, frame in validate_all(folder).items():
        descriptive = [c for c in frame.columns if c not in REQUIRED_COLUMNS]
        for rec in frame.to_dict("records"):
            unit = rec["unit"]
            low = None if math.isnan(rec["low"]) else _quantity(rec["low"], unit)
            high = None if math.isnan(rec["high"]) else _quantity(rec["high"], unit)
            figures[rec["id"]] = Figure(
                id=rec["id"], quantity=rec["quantity"], value=_quantity(rec["value"], unit),
                low=low, high=high, unit=unit, source=rec["source"], locator=rec["locator"],
                accessed=rec["accessed"], grade=rec["grade"], note=rec["note"], table=fname,
                attrs={c: rec[c] for c in descriptive},
            )
    return MappingProxyType(figures)


def _stamp(folder: Path) -> tuple:
    """Modification times of everything the index depends on (so edits invalidate it)."""
    files = ([folder / n for n in table_names(folder)]
             + [bibliography_path(folder), folder / "datapackage.json"])
    return tuple((str(p), p.stat().st_mtime_ns if p.exists() else 0) for p in files)


def figures(data_dir: Path | str | None = None) -> Mapping[str, Figure]:
    """Every figure in every topic table, by id (a read-only mapping)."""
    folder = _resolve(data_dir)
    return _index(str(folder), _stamp(folder))


def figure(id: str, data_dir: Path | str | None = None) -> Figure:
    """The figure with this id, from whichever table holds it.

    Raises :class:`UnknownFigure` (a :class:`DataError` and a ``KeyError``) for an unknown id.
    """
    index = figures(data_dir)
    try:
        return index[id]
    except KeyError:
        close = [k for k in index if id and (id in k or k in id)][:5]
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownFigure(f"unknown figure id {id!r}: no row in the tables under "
                            f"{_resolve(data_dir)}{hint}") from None


def value(id: str, data_dir: Path | str | None = None) -> pint.Quantity:
    """The central value of a figure, as a pint Quantity."""
    return figure(id, data_dir).value



def count(id: str, data_dir: Path | str | None = None) -> int:
    """A figure that counts things (GPUs, turbines, cameras) as a Python ``int``.

    Refuses a figure with a unit or a fractional value, which is not a count.
    """
    q = value(id, data_dir)
    if not q.dimensionless or str(q.units) != "dimensionless":
        raise DataError(f"figure {id!r} is in {q.units}, not a count")
    m = float(q.magnitude)
    if not m.is_integer():
        raise DataError(f"figure {id!r} is {m}, not a whole number of things")
    return int(m)

# --------------------------------------------------------------------------- tables for readers


@functools.lru_cache(maxsize=8)
def _bib_entries(path: str, mtime_ns: int):
    # pybtex is what sphinxcontrib-bibtex reads the bibliography with; imported here so
    # that loading figures needs only pandas and pint.
    try:
        import pybtex.database
    except ImportError as exc:  # pragma: no cover - pybtex comes with jupyter-book
        raise DataError(f"references.bib: naming sources needs pybtex ({exc})") from None
    try:
        return pybtex.database.parse_file(path).entries
    except Exception as exc:  # pybtex raises several error types for a malformed file
        raise DataError(f"references.bib: cannot be parsed: {exc}") from exc


def _plain(latex: str) -> str:
    """BibTeX text as a reader sees it: no protective braces, no escapes (R\\&D -> R&D)."""
    from pybtex.richtext import Text
    return str(Text.from_latex(latex)).strip()


def source_name(key: str, data_dir: Path | str | None = None) -> str:
    """The source as a reader would name it: ``"Tom's Hardware, 2024"``, ``"Talpes et al., 2023"``.

    An organisation as author names itself; a news story by a person is named after its
    outlet (``journal``); otherwise the authors' surnames (``A``, ``A and B``, ``A et al.``).
    The year follows (``n.d.`` when the entry has none).
    """
    path = bibliography_path(data_dir)
    if not path.is_file():
        raise DataError(f"references.bib: not found at {path}")
    entries = _bib_entries(str(path), path.stat().st_mtime_ns)
    if key not in entries:
        raise DataError(f"references.bib: no entry {key!r}")
    entry = entries[key]
    people = entry.persons.get("author", [])
    # A braced author ({NVIDIA}) is an organisation: pybtex gives it one name part.
    orgs = [p for p in people if not p.first_names and not p.middle_names
            and len(p.last_names) == 1 and p.last_names[0].startswith("{")]
    fields = entry.fields
    if people and len(orgs) == len(people):
        who = " and ".join(_plain(p.last_names[0]) for p in orgs)
    elif entry.type == "misc" and fields.get("journal"):
        who = _plain(fields["journal"])
    elif people:
        surnames = [_plain(" ".join(p.prelast_names + p.last_names)) for p in people]
        if len(people) > 2 or any(s.lower() == "others" for s in surnames):
            who = f"{surnames[0]} et al."
        else:
            who = " and ".join(surnames)
    else:
        who = _plain(fields.get("organization") or fields.get("institution")
                     or fields.get("journal") or fields.get("howpublished") or key)
    year = _plain(fields.get("year", "")) or "n.d."
    return f"{who}, {year}"


#: Where the book's bibliography is, as seen from a chapter page (``notebooks/*.html``).
REFERENCES_PAGE = "../book/references.html"
#: The HTML id of a bibliography entry; the same template is ``bibtex_cite_id`` in ``_config.yml``.
CITE_ID = "cite-{key}"


def source_anchor(key: str) -> str:
    """The HTML id sphinxcontrib-bibtex gives ``key``'s entry on the references page.

    Sphinx passes the ``bibtex_cite_id`` template through docutils' ``make_id``; this is
    its rule for ASCII keys (lower case, runs of other characters become one ``-``, no
    leading digits or hyphens, no trailing hyphens), so claimcheck needs no docutils.
    tests/unit/test_sources.py checks it against ``make_id`` for every key in the bibliography.
    """
    text = " ".join(CITE_ID.format(key=key).lower().split())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"^[-0-9]+|-+$", "", re.sub(r"[^a-z0-9]+", "-", text))


def table(ids, data_dir: Path | str | None = None,
          units: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A chapter's "The numbers" table: one row per figure id, in the order given.

    Columns: ``figure`` (what it is), ``value`` (formatted, with its range if it has one),
    ``source`` (as a reader names it, see :func:`source_name`), ``grade``, ``accessed``
    and ``where`` (the locator). ``units`` maps an id to the unit its value is written in
    (``{"fsd_miles_2025_11": "mile"}``); other values use the book's prose units.
    The rows' bibliography keys are kept in ``frame.attrs["source_keys"]`` for :func:`linked`.
    """
    ids = [ids] if isinstance(ids, str) else list(ids)
    units = dict(units or {})
    stray = sorted(set(units) - set(ids))
    if stray:
        raise DataError(f"table(): units given for ids not in the table: {', '.join(stray)}")
    figs = [figure(i, data_dir) for i in ids]
    frame = pd.DataFrame({
        "figure": [f.quantity for f in figs],
        "value": [format_figure(f, unit=units.get(f.id)) for f in figs],
        "source": [source_name(f.source, data_dir) for f in figs],
        "grade": [f.grade for f in figs],
        "accessed": [f.accessed for f in figs],
        "where": [f.locator for f in figs],
    }, columns=["figure", "value", "source", "grade", "accessed", "where"])
    frame.attrs["source_keys"] = [f.source for f in figs]
    return frame


def linked(frame: pd.DataFrame, references: str = REFERENCES_PAGE):
    """``frame`` (from :func:`table`, columns may be added or changed) as a pandas Styler
    whose ``source`` cells link to their entries on the references page.

    The link text is the citation, so the table reads the same where links do not work.
    Every other cell is HTML-escaped.
    """
    keys = frame.attrs.get("source_keys")
    if keys is None or len(keys) != len(frame) or "source" not in frame.columns:
        raise DataError("linked(): expects a frame made by sources.table() with its rows and "
                        "'source' column intact")
    from html import escape
    shown = frame.copy()
    shown["source"] = [f'<a href="{escape(references)}#{source_anchor(k)}">{escape(name)}</a>'
                       for k, name in zip(keys, frame["source"], strict=True)]
    others = [c for c in shown.columns if c != "source"]
    return shown.style.hide(axis="index").format(escape="html", subset=others)


def weaker_rows(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Every row graded ``secondary`` or ``assumption``, for the data appendix.

    Columns: ``id``, ``table``, ``quantity``, ``grade``, ``source`` (the bib key),
    ``accessed`` and ``note``; sorted by grade (assumptions first), table and id.
    """
    rows = [{"id": f.id, "table": f.table, "quantity": f.quantity, "grade": f.grade,
             "source": f.source, "accessed": f.accessed, "note": f.note}
            for f in figures(data_dir).values() if f.grade != "primary"]
    frame = pd.DataFrame(rows, columns=["id", "table", "quantity", "grade", "source", "accessed", "note"])
    order = {"assumption": 0, "secondary": 1}
    return (frame.sort_values(["grade", "table", "id"], key=lambda c: c.map(order) if c.name == "grade" else c)
            .reset_index(drop=True))


# ch-last: the "precision, kind" of a FLOP/s figure, for precision-and-peak and colossus
def qualifiers(id: str, keys=("precision", "sparsity", "kind"),
               data_dir: Path | str | None = None) -> str:
    """The descriptive cells ``keys`` of figure ``id`` that are filled, joined with commas:
    ``"BF16, dense, peak"``. A key the figure's table lacks, or leaves empty, is skipped."""
    attrs = figure(id, data_dir).attrs
    return ", ".join(str(attrs[k]) for k in keys if isinstance(attrs.get(k), str) and attrs[k])
