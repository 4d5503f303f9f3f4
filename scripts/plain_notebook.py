"""Turn a chapter's MyST notebook into a plain Jupyter notebook: Markdown any viewer renders.

JupyterLab, VS Code and Colab render CommonMark, not MyST. Every role and directive the
chapters use becomes Markdown here, with the numbers and names the book's build resolved:

* ``{glue:text}`name``` / ``{glue}`name``` -> the glued value's text (from the executed
  notebook's ``.glue.json``);
* ``{term}`peaks <peak>``` -> ``[peaks](…glossary.html#term-peak)``;
* ``{ref}``, ``{doc}``, ``{numref}`` -> links with the section title or the figure number;
* ``{cite}`a,b``` -> ``[(Author, 2024; Other, 2023)](…references.html)``;
* ``{typed}`x``` -> ``x``; ``{datum}`id``` -> the data figure as prose; ``{math}`` -> ``$…$``;
* ``{verdict}``, ``{exercise}``, ``{solution}`` (teacher's version only), ``{admonition}``
  and the named admonitions -> block quotes with a bold title;
* ``{glue:figure}`` -> its numbered caption; the chart goes back under the cell that made
  it, as an output;
* ``(label)=`` targets -> HTML anchors.

A construct it does not know is an error naming it, so a new role cannot slip through as
raw markup. The numbers and links come from a :class:`Book`, which the Sphinx extension
(``_ext/book_notebooks.py``) fills from the build's environment; tests fill it by hand.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

# An inline role: {name}`content` (any number of backticks, as CommonMark code spans).
ROLE = re.compile(r"\{(?P<name>[A-Za-z][\w:+.-]*)\}(?P<ticks>`+)(?P<body>.+?)(?P=ticks)", re.S)
# The opening line of a fenced directive: ```{name} argument, :::{name}, ~~~{name}.
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,}|:{3,})\{(?P<name>[A-Za-z][\w:+.-]*)\}"
                        r"[ \t]*(?P<arg>.*)$")
PLAIN_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?!\{)(?!.*`)")
TARGET = re.compile(r"^[ \t]*\((?P<label>[A-Za-z0-9_.:-]+)\)=[ \t]*$")
OPTION = re.compile(r"^[ \t]*:(?P<key>[\w-]+):[ \t]*(?P<value>.*)$")
# What a test looks for: any role or directive left in a Markdown cell.
MYST_LEFT = re.compile(r"\{[A-Za-z][\w:+.-]*\}`|^[ \t]*(?:`{3,}|~{3,}|:{3,})\{|^[ \t]*\([\w.:-]+\)=[ \t]*$", re.M)

ADMONITIONS = {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important",
               "warning": "Warning", "caution": "Caution", "attention": "Attention",
               "danger": "Danger", "error": "Error", "seealso": "See also"}
# The book build's hidden cell that makes a chapter depend on its data (_ext/book_execution.py, track_data).
TRACKING_CELL = "# The code and data this chapter runs on"


class PlainError(ValueError):
    """A MyST construct the converter cannot turn into Markdown."""


@dataclass
class Book:
    """What the build knows that a notebook alone does not. Pages are Sphinx docnames
    (``notebooks/carbon``); ``link(page, anchor)`` gives the URL a notebook should use,
    or None where it has none (the link is then dropped and its text kept)."""

    glue: dict[str, dict[str, str]] = field(default_factory=dict)      # page -> name -> text
    terms: dict[str, tuple[str, str]] = field(default_factory=dict)    # term (lower case) -> (page, anchor)
    labels: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # label -> (page, anchor, title)
    numbers: dict[str, str] = field(default_factory=dict)              # label -> "Fig. 10.1"
    titles: dict[str, str] = field(default_factory=dict)               # page -> title
    citations: dict[str, str] = field(default_factory=dict)            # bib key -> "Author, 2024"
    claims: dict[str, str] = field(default_factory=dict)               # claim id -> quote
    references: str = "book/references"
    link: Callable[[str, str], str | None] = lambda page, anchor: None
    datum: Callable[[str], str] | None = None

    def to_json(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if k not in ("link", "datum")}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, **kwargs) -> Book:
        data = json.loads(text)
        for key in ("terms", "labels"):
            data[key] = {k: tuple(v) for k, v in data[key].items()}
        return cls(**data, **kwargs)


def _link(text: str, url: str | None) -> str:
    return f"[{text}]({url})" if url else text


def _explicit(body: str) -> tuple[str | None, str]:
    """``text <target>`` -> (text, target); ``target`` -> (None, target)."""
    m = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>", body.strip())
    if m and m.group(1):
        return " ".join(m.group(1).split()), m.group(2).strip()
    return None, body.strip()


class Converter:
    """Converts the Markdown of one page (``page``, a docname) of ``book``."""

    def __init__(self, book: Book, page: str, teacher: bool):
        self.book, self.page, self.teacher = book, page, teacher

    def url(self, page: str, anchor: str) -> str | None:
        """A place on this page is an anchor in this notebook; elsewhere, ``book.link``."""
        if page == self.page and anchor:
            return f"#{anchor}"
        return self.book.link(page, anchor)

    # ---------------------------------------------------------------- roles

    def role(self, name: str, body: str) -> str:
        book = self.book
        if name in ("glue:text", "glue", "glue:any"):
            key = body.strip()
            values = book.glue.get(self.page, {})
            if key not in values:
                raise PlainError(f"{self.page}: no glued value {key!r} for {{{name}}}")
            return values[key]
        if name == "term":
            text, target = _explicit(body)
            where = book.terms.get(target.lower())
            if where is None:
                raise PlainError(f"{self.page}: {{term}} {target!r} is not in the glossary")
            return _link(text or target, self.url(*where))
        if name in ("ref", "numref"):
            text, label = _explicit(body)
            if label not in book.labels:
                raise PlainError(f"{self.page}: {{{name}}} target {label!r} is unknown")
            page, anchor, title = book.labels[label]
            if name == "numref":
                number = book.numbers.get(label)
                if number is None:
                    raise PlainError(f"{self.page}: {{numref}} {label!r} has no number")
                n = number.split(" ", 1)[-1]
                text = text.replace("{number}", n).replace("%s", n) if text else number
            return _link(text or title, self.url(page, anchor))
        if name == "doc":
            text, target = _explicit(body)
            page = target.lstrip("/") if target.startswith("/") else \
                str(Path(self.page).parent / target).replace("\\", "/")
            page = re.sub(r"\.(md|ipynb)$", "", str(Path(page).as_posix()))
            parts: list[str] = []
            for part in page.split("/"):
                if part == "..":
                    parts.pop() if parts else None
                elif part not in ("", "."):
                    parts.append(part)
            page = "/".join(parts)
            if page not in book.titles:
                raise PlainError(f"{self.page}: {{doc}} {target!r} is not a page of the book")
            return _link(text or book.titles[page], book.link(page, ""))
        if name.startswith("cite"):
            keys = [k.strip() for k in body.split(",") if k.strip()]
            missing = [k for k in keys if k not in book.citations]
            if missing:
                raise PlainError(f"{self.page}: {{{name}}} cites unknown source(s) {missing}")
            names = "; ".join(book.citations[k] for k in keys)
            return _link(f"({names})", book.link(book.references, ""))
        if name == "typed":
            return body
        if name == "datum":
            if book.datum is None:
                raise PlainError(f"{self.page}: {{datum}} needs Book.datum")
            try:
                return book.datum(body.strip())
            except (KeyError, ValueError) as err:  # unknown figure, bad option
                raise PlainError(f"{self.page}: {err}") from None
        if name == "math":
            return f"${body}$"
        if name in ("sup", "sub"):
            return f"<{name}>{body}</{name}>"
        raise PlainError(f"{self.page}: the role {{{name}}} has no plain-Markdown form")

    def inline(self, text: str) -> str:
        """Roles replaced, outside code spans (a role inside backticks is text)."""
        out, pos = [], 0
        # Code spans that are not a role's body: a backtick run not preceded by "}".
        span = re.compile(r"(?<![}`])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
        while pos < len(text):
            role = ROLE.search(text, pos)
            code = span.search(text, pos)
            if code and (role is None or code.start() < role.start()):
                out.append(text[pos:code.end()])
                pos = code.end()
            elif role:
                out.append(text[pos:role.start()])
                out.append(self.role(role.group("name"), role.group("body")))
                pos = role.end()
            else:
                out.append(text[pos:])
                break
        return "".join(out)

    # ---------------------------------------------------------------- blocks

    def blocks(self, text: str) -> str:
        """A Markdown text with its directives, targets and roles converted."""
        lines, out, i = text.split("\n"), [], 0
        while i < len(lines):
            line = lines[i]
            m = FENCE_OPEN.match(line)
            plain = PLAIN_FENCE.match(line)
            target = TARGET.match(line)
            if m:
                end = _block_end(lines, i, m.group("fence"))
                body = lines[i + 1:end - 1] if end - 1 > i and _closes(lines[end - 1], m.group("fence")) \
                    else lines[i + 1:end]
                options, content = _options(body)
                out.extend(self.directive(m.group("name"), m.group("arg").strip(), options,
                                          "\n".join(content)).split("\n"))
                i = end
            elif plain:
                end = _block_end(lines, i, plain.group("fence"))
                out.extend(lines[i:end])  # code is code: no roles inside
                i = end
            elif target:
                out.append(f'<a id="{target.group("label")}"></a>')
                i += 1
            else:
                # A paragraph's lines together, so a role broken over two lines still matches.
                j = i
                while j < len(lines) and not (FENCE_OPEN.match(lines[j]) or PLAIN_FENCE.match(lines[j])
                                              or TARGET.match(lines[j])):
                    j += 1
                out.extend(self.inline("\n".join(lines[i:j])).split("\n"))
                i = j
        return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")

    def _box(self, title: str, content: str, anchor: str = "") -> str:
        head = (f'<a id="{anchor}"></a>\n\n' if anchor else "")
        body = self.blocks(content)
        quoted = "\n".join(f"> {ln}" if ln.strip() else ">" for ln in body.split("\n")) if body else ""
        return head + f"> **{title}**" + ("\n>\n" + quoted if quoted else "")

    def directive(self, name: str, arg: str, options: dict[str, str], content: str) -> str:
        label = options.get("label") or options.get("name") or ""
        if name == "exercise":
            number = self.book.numbers.get(label, "Exercise")
            title = f"{number}" + (f" ({self.inline(arg)})" if arg else "")
            return self._box(title, content, label)
        if name == "solution":
            if not self.teacher:
                return ""
            number = self.book.numbers.get(arg, "")
            return self._box(f"Solution to {number}" if number else "Solution", content, label)
        if name == "verdict":
            verdict = arg.lower()
            ids = [c.strip() for c in re.split(r"[,\s]+", options.get("claim", "")) if c.strip()]
            unknown = [c for c in ids if c not in self.book.claims]
            if not ids or unknown:
                raise PlainError(f"{self.page}: verdict box with unknown or no claims {unknown or ids}")
            foot = "; ".join(f"{c}: “{self.book.claims[c]}”" for c in ids)
            row = self.book.labels.get(f"claim-{ids[0].lower()}")  # the register's row label
            register = self.url(row[0], row[1]) if row else None
            foot = ("Claims " if len(ids) > 1 else "Claim ") + foot + \
                f". See the {_link('claims register', register)}."
            return self._box(f"Verdict: {verdict}", content + "\n\n" + foot, f"verdict-{ids[0].lower()}")
        if name == "admonition":
            return self._box(self.inline(arg) or "Note", content, label)
        if name in ADMONITIONS:
            return self._box(ADMONITIONS[name], (arg + "\n\n" + content) if arg else content, label)
        if name in ("glue:figure", "figure", "glue"):
            number = self.book.numbers.get(label, "")
            caption = self.blocks(content).strip()
            text = " ".join(p for p in (f"**{number}.**" if number else "", caption) if p)
            if name == "figure" and arg:
                text = f"![{caption}]({arg})\n\n" + text
            return (f'<a id="{label}"></a>\n\n' if label else "") + text
        if name in ("code-cell", "code-block", "code"):
            return f"```{arg}\n{content}\n```"
        if name == "math":
            return f"$$\n{content}\n$$"
        if name in ("solution-start", "solution-end"):
            raise PlainError(f"{self.page}: {{{name}}} must be handled before conversion "
                             "(strip_solutions or render_gated)")
        raise PlainError(f"{self.page}: the directive {{{name}}} has no plain-Markdown form")


def _closes(line: str, fence: str) -> bool:
    text = line.strip()
    return bool(text) and set(text) == {fence[0]} and len(text) >= len(fence)


def _block_end(lines: list[str], start: int, fence: str) -> int:
    """Index just after the closing fence of the block opened at ``lines[start]``."""
    for i in range(start + 1, len(lines)):
        if _closes(lines[i], fence):
            return i + 1
    return len(lines)


def _options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's options (``:key: value`` lines or a ``---`` YAML block) and its content."""
    import yaml

    if body and body[0].strip() == "---":
        for j in range(1, len(body)):
            if body[j].strip() == "---":
                opts = yaml.safe_load("\n".join(body[1:j])) or {}
                return {str(k): str(v) for k, v in opts.items()}, body[j + 1:]
    options, j = {}, 0
    while j < len(body) and (m := OPTION.match(body[j])):
        options[m.group("key")] = m.group("value").strip()
        j += 1
    return options, body[j:]


# --------------------------------------------------------------------------- notebooks


def glued_text(output: dict) -> str:
    """A glued value as ``{glue:text}`` prints it: a string without its quotes."""
    text = output.get("data", {}).get("text/plain", "")
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


def read_glue(path: Path) -> tuple[dict[str, str], dict[str, dict]]:
    """The text of every glued value in a ``<page>.glue.json``, and the glued outputs."""
    outputs = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return {name: glued_text(out) for name, out in outputs.items()}, outputs


def _figure_names(source: str) -> list[str]:
    return re.findall(r"^[ \t]*(?:`{3,}|:{3,}|~{3,})\{glue:figure\}[ \t]*(\S+)", source, re.M)


def plain_notebook(nb: nbformat.NotebookNode, book: Book, page: str, teacher: bool,
                   figures: dict[str, dict] | None = None) -> nbformat.NotebookNode:
    """``nb`` (a chapter, executed or not) as a plain notebook, changed in place and returned.

    ``figures`` maps glued names to their outputs (``.glue.json``): each ``{glue:figure}``
    chart becomes an output of the code cell that glued it, so it shows where it was made.
    Without solutions unless ``teacher``; ``{solution-start}``…``{solution-end}`` spans
    are removed for students (with their code cells) and kept, titled, for teachers.
    """
    convert = Converter(book, page, teacher)
    cells, gated = [], False
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.lstrip().startswith(TRACKING_CELL):
            continue
        if cell.cell_type != "markdown":
            if not gated or teacher:
                cells.append(cell)
            continue
        source, gated = _gate(cell.source, gated, teacher)
        for name in _figure_names(cell.source) if figures else []:
            if name in figures:
                _attach(cells, name, figures[name])
        cell.source = convert.blocks(source)
        cell.attachments = cell.get("attachments", {}) or {}
        if not cell.attachments:
            cell.pop("attachments")
        if cell.source.strip():
            cells.append(cell)
    nb.cells = cells
    for key in ("jupytext", "source_map"):
        nb.metadata.pop(key, None)
    return nb


def _gate(source: str, gated: bool, teacher: bool) -> tuple[str, bool]:
    """Handle ``{solution-start}``/``{solution-end}`` spans in one cell's text."""
    lines, kept, i = source.split("\n"), [], 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i])
        name = m.group("name") if m else None
        if name in ("solution-start", "solution-end"):
            gated = name == "solution-start"
            i = _block_end(lines, i, m.group("fence"))
            if teacher and gated:
                kept.append(f"**Solution ({m.group('arg').strip()})**")
            continue
        if not gated or teacher:
            kept.append(lines[i])
        i += 1
    return "\n".join(kept), gated


def _attach(cells: list, name: str, output: dict) -> None:
    """Put a glued chart under the code cell that glued it (else the last code cell)."""
    code = [c for c in cells if c.cell_type == "code"]
    if not code:
        return
    maker = next((c for c in reversed(code) if re.search(rf"[\"']{re.escape(name)}[\"']", c.source)), code[-1])
    out = nbformat.from_dict({"output_type": "display_data", "metadata": {},
                              "data": {k: v for k, v in output.get("data", {}).items()}})
    maker.setdefault("outputs", []).append(out)


def myst_left(nb: nbformat.NotebookNode) -> list[str]:
    """Every MyST role or directive still in the notebook's Markdown cells (should be none)."""
    return [m.group(0) for cell in nb.cells if cell.cell_type == "markdown"
            for m in MYST_LEFT.finditer(_without_code(cell.source))]


def _without_code(text: str) -> str:
    """The text outside fenced code blocks (a fence's content is code, not markup); a
    left-over directive's own closing fence is not mistaken for a code fence."""
    out, fence, directives = [], None, []
    for line in text.split("\n"):
        if fence is not None:
            fence = None if _closes(line, fence) else fence
        elif directives and _closes(line, directives[-1]):
            directives.pop()
        elif m := FENCE_OPEN.match(line):
            directives.append(m.group("fence"))
            out.append(line)
        elif m := PLAIN_FENCE.match(line):
            fence = m.group("fence")
        else:
            out.append(line)
    return "\n".join(out)
