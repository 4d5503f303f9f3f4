"""The whole book as one PDF, offered for download on the site.

Usage: ``make pdf`` after ``make book``; writes ``_build/html/exaflops-externalities.pdf``.

Chromium (through Playwright, as the browser tests drive it) prints every page of the built
site in the order of ``_toc.yml`` with the book's print stylesheet. Charts print as the static
SVGs the pages carry for readers without JavaScript; JavaScript stays on so MathJax typesets
the equations. pypdf merges the pages into one PDF with a bookmark per page of the table of
contents, turns links between pages of the book into links inside the PDF, and stamps
book-wide page numbers (drawn by Chromium too, on a page of numbers laid over each page).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import os
import sys
import threading
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import yaml
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
PDF_NAME = "exaflops-externalities.pdf"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The flags tests/conftest.py uses: a quiet headless Chromium as root with no network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions",
]
# A4 with room at the foot of each page for the number stamped later.
# Scale 0.8 lays each page out as a wider window would, so tables and charts fit the width.
PAGE = {"format": "A4", "scale": 0.8, "margin": {"top": "15mm", "bottom": "20mm", "left": "15mm", "right": "15mm"}}

# Run in each page before printing: show the static chart a <noscript> holds and hide the
# live chart beside it (a live Vega chart would print as it happened to lay out on screen),
# then wait for MathJax to finish typesetting.
PREPARE_JS = """async () => {
  for (const n of document.querySelectorAll('noscript')) {
    if (!n.textContent.includes('chart-static')) continue;
    const t = document.createElement('template');
    t.innerHTML = n.textContent;
    n.replaceWith(t.content);
  }
  const s = document.createElement('style');
  s.textContent = '[id^="altair-viz-"], .vega-embed { display: none !important; }';
  document.head.append(s);
  if (window.claimcheckMath) await window.claimcheckMath();  // MathJax loads lazily (assets/math-loader.js)
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
  const h1 = document.querySelector('article.bd-article h1').cloneNode(true);
  h1.querySelectorAll('.headerlink').forEach(a => a.remove());
  return h1.textContent.trim();
}"""

NUMBERS_HTML = """<!doctype html><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0; }}
body {{ margin: 0; font: 9pt system-ui, sans-serif; color: #555; }}
div {{ height: 296mm; position: relative; break-after: page; }}
span {{ position: absolute; bottom: 8mm; left: 0; right: 0; text-align: center; }}
</style>{pages}"""


def toc_files(toc: Path) -> list[str]:
    """The book's pages in reading order: the root, then every file of every part."""
    spec = yaml.safe_load(toc.read_text(encoding="utf-8"))

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("sections"))

    files = [spec["root"]]
    for part in spec.get("parts", [{"chapters": spec.get("chapters")}]):
        files += walk(part.get("chapters"))
    return files


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site: Path):
    """The built site on 127.0.0.1 (a file:// page would not run MathJax's module loads alike)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def print_pages(browser, base: str, files: list[str]) -> list[tuple[str, str, bytes]]:
    """(file, title, PDF bytes) for every page, printed with the print stylesheet."""
    page = browser.new_page()
    printed = []
    for file in files:
        response = page.goto(urljoin(base, f"{file}.html"), wait_until="load")
        if response is None or not response.ok:
            sys.exit(f"{file}.html is not in the built site: run `make book` first")
        title = page.evaluate(PREPARE_JS)
        printed.append((file, title, page.pdf(print_background=True, **PAGE)))
    page.close()
    return printed


def page_numbers(browser, total: int) -> PdfReader:
    """One PDF page per book page, blank but for its number, to lay over the book's pages."""
    pages = "".join(f"<div><span>{i} / {total}</span></div>" for i in range(1, total + 1))
    page = browser.new_page()
    page.set_content(NUMBERS_HTML.format(pages=pages))
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    page.close()
    if len(reader.pages) != total:
        raise RuntimeError(f"the page numbers came out on {len(reader.pages)} pages, not {total}")
    return reader


def _link_inside(writer: PdfWriter, base: str, starts: dict[str, int]) -> None:
    """Links to another page of the book go to its first page in the PDF, not to the local server."""
    for pdf_page in writer.pages:
        for annot in pdf_page.get("/Annots", []):
            action = annot.get_object().get("/A")
            uri = action.get("/URI") if action else None
            if not uri or not str(uri).startswith(base):
                continue
            target = urlparse(urldefrag(str(uri))[0]).path.lstrip("/").removesuffix(".html")
            if target in starts:
                goto = DictionaryObject({NameObject("/S"): NameObject("/GoTo"),
                                         NameObject("/D"): ArrayObject([writer.pages[starts[target]].indirect_reference,
                                                                        NameObject("/Fit")])})
                annot.get_object()[NameObject("/A")] = goto
            else:  # another file of the site (a download): relative to the PDF, which sits at the site's root
                action[NameObject("/URI")] = TextStringObject(str(uri)[len(base):])


def build(site: Path = SITE, toc: Path = ROOT / "_toc.yml", out: Path | None = None) -> Path:
    from playwright.sync_api import sync_playwright

    if not (site / "index.html").exists():
        sys.exit(f"no built site at {site}: run `make book` first")
    if not Path(CHROMIUM).exists():
        sys.exit(f"Debian's chromium is not at {CHROMIUM}: apt-get install chromium (or set CHROMIUM)")
    out = out or site / PDF_NAME
    files = toc_files(toc)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        printed = print_pages(browser, base, files)
        writer = PdfWriter()
        starts = {}
        for file, title, data in printed:
            starts[file] = len(writer.pages)
            writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
            writer.add_outline_item(title=title, page_number=starts[file])
        for pdf_page, number in zip(writer.pages, page_numbers(browser, len(writer.pages)).pages, strict=True):
            pdf_page.merge_page(number)
        browser.close()
        _link_inside(writer, base, starts)
    writer.add_metadata({"/Title": config["title"], "/Author": config["author"]})
    writer.page_mode = "/UseOutlines"
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=SITE, help="the built site (default: _build/html)")
    parser.add_argument("--out", type=Path, help=f"where to write the PDF (default: SITE/{PDF_NAME})")
    args = parser.parse_args()
    print(build(args.site, out=args.out))
