"""Lighthouse scores of every page of the built book, beside an empty `jupyter-book create` book.

A benchmark, not a test: it measures and reports; it exits 1 only when it cannot measure
(no Lighthouse, no Chromium, no built site) or when a page sent a request off the machine.

    make lighthouse                                  # install Lighthouse, then every page once
    .venv/bin/python benchmarks/lighthouse.py --runs 3            # the median of three runs
    .venv/bin/python benchmarks/lighthouse.py --pages 'notebooks/water*' --no-empty

Lighthouse 12.2.3 (npm, benchmarks/package.json) runs its default mobile preset: a phone
viewport, simulated throttling (slow 4G, 4x CPU slowdown). The pages are served from
localhost gzip-compressed, as a real host serves them, by Debian's Chromium (CHROME_PATH).
The scores and FCP/LCP/TBT of each page are printed and written to the Lighthouse section of
benchmarks/RESULTS.md (between its markers; the rest of the file, from benchmarks/run.py, is kept).
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_VERSION = "12.2.3"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-default-apps", "--disable-sync", "--disable-extensions",
                "--no-first-run", "--no-default-browser-check", "--metrics-recording-only",
                "--disable-domain-reliability", "--disable-client-side-phishing-detection"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
RESULTS = HERE / "RESULTS.md"
START, END = "<!-- lighthouse: start -->", "<!-- lighthouse: end -->"
# Text types a host compresses; images as SVG too (they are text).
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".txt", ".map", ".xml", ".csv")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that sends text gzip-compressed when the browser accepts it."""

    def log_message(self, *args) -> None:  # quiet
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser closed the connection (Lighthouse does, between its passes)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = _gzipped(str(path), path.stat().st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        import io
        return io.BytesIO(body)


@functools.cache
def _gzipped(path: str, mtime: float) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6)


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def ensure_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    if not shutil.which("npm"):
        sys.exit("Lighthouse needs Node 20 and npm (apt-get install nodejs npm).")
    subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=HERE, check=True)


def build_empty_book(workdir: Path) -> Path:
    """An empty `jupyter-book create` book, built with this venv's pinned Jupyter Book."""
    jb = Path(sys.executable).with_name("jupyter-book")
    book = workdir / "empty-book"
    subprocess.run([str(jb), "create", str(book)], check=True, capture_output=True)
    run = subprocess.run([str(jb), "build", str(book), "--builder", "html"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"the empty book did not build:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return book / "_build" / "html"


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile preset, simulated throttling) of ``url``: its JSON report."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    cmd = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}", "--quiet",
           f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}"]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if run.returncode != 0 or not out.exists():
        raise RuntimeError(f"Lighthouse failed on {url}:\n{run.stderr[-2000:]}")
    return json.loads(out.read_text())


def summarise(report: dict) -> dict:
    """The four scores (0-100), FCP/LCP/TBT in ms, and any request that left localhost."""
    audits = report["audits"]
    row = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    for key, audit in (("fcp", "first-contentful-paint"), ("lcp", "largest-contentful-paint"),
                       ("tbt", "total-blocking-time"), ("cls", "cumulative-layout-shift")):
        row[key] = audits[audit].get("numericValue")
    requests = (audits.get("network-requests", {}).get("details") or {}).get("items", [])
    row["offsite"] = sorted({r["url"] for r in requests
                             if urlparse(r["url"]).scheme in ("http", "https")
                             and urlparse(r["url"]).hostname != "127.0.0.1"})
    row["bytes"] = sum(r.get("transferSize", 0) for r in requests)
    row["failing"] = sorted(a["id"] for a in audits.values()
                            if a.get("score") is not None and a["score"] < 0.9
                            and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"))
    return row


def median_row(rows: list[dict]) -> dict:
    """Median of each score and timing over the runs (offsite requests: any run's)."""
    merged = {k: statistics.median(r[k] for r in rows) for k in CATEGORIES + ["fcp", "lcp", "tbt", "cls", "bytes"]}
    merged["offsite"] = sorted({u for r in rows for u in r["offsite"]})
    merged["failing"] = sorted({a for r in rows for a in r["failing"]})
    return merged


def pages_of(site: Path, patterns: list[str] | None) -> list[str]:
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                   if not any(part.startswith("_") for part in p.relative_to(site).parts))
    if patterns:
        pages = [p for p in pages if any(fnmatch.fnmatch(p, pat) for pat in patterns)]
    return pages


def machine_note() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{platform.machine()}, {os.cpu_count()} CPU cores, load average {load} (1, 5, 15 min)"


def table(rows: dict[str, dict]) -> str:
    head = ("| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | KiB sent |\n"
            "|---|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for page, r in rows.items():
        lines.append(f"| {page} | {r['performance']:.0f} | {r['accessibility']:.0f} | {r['best-practices']:.0f} | "
                     f"{r['seo']:.0f} | {r['fcp'] / 1000:.1f} s | {r['lcp'] / 1000:.1f} s | {r['tbt']:.0f} ms | "
                     f"{r['cls']:.3f} | {r['bytes'] / 1024:.0f} |")
    return head + "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """Put ``section`` between the Lighthouse markers of ``path``, replacing what was there."""
    block = f"{START}\n{section}{END}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if START in old and END in old:
        head, rest = old.split(START, 1)
        new = head + block + rest.split(END, 1)[1].lstrip("\n")
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is reported")
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--pages", nargs="*", help="only pages matching these globs (e.g. 'notebooks/*')")
    parser.add_argument("--no-empty", action="store_true", help="skip the empty jupyter-book create book")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the Markdown table")
    parser.add_argument("--reports", type=Path, help="keep each page's Lighthouse JSON report in this folder")
    args = parser.parse_args(argv)

    if not Path(CHROMIUM).exists():
        sys.exit(f"No Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM=...).")
    if not (args.site / "index.html").exists():
        sys.exit(f"No built site at {args.site}: run `make book` first.")
    if args.runs < 1:
        sys.exit("--runs must be 1 or more")
    ensure_lighthouse()
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    load_before = machine_note()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sites = {"book": args.site}
        if not args.no_empty:
            print("building an empty `jupyter-book create` book ...", flush=True)
            sites["empty"] = build_empty_book(tmp)
        servers = {name: serve(path) for name, path in sites.items()}
        targets = [(page, f"{servers['book'][1]}/{page}") for page in pages_of(args.site, args.pages)]
        if "empty" in servers:
            targets.append(("empty `jupyter-book create` book: intro.html", f"{servers['empty'][1]}/intro.html"))
        rows: dict[str, dict] = {}
        for page, url in targets:
            runs = []
            for i in range(args.runs):
                report = (args.reports or tmp) / f"{page.replace('/', '_').split(':')[0].replace(' ', '_')}-{i}.json"
                runs.append(summarise(lighthouse(url, report)))
            rows[page] = median_row(runs)
            r = rows[page]
            print(f"{page:60s} perf {r['performance']:3.0f}  a11y {r['accessibility']:3.0f}  "
                  f"bp {r['best-practices']:3.0f}  seo {r['seo']:3.0f}  FCP {r['fcp'] / 1000:4.1f} s  "
                  f"LCP {r['lcp'] / 1000:4.1f} s  TBT {r['tbt']:4.0f} ms"
                  + (f"  below 90: {', '.join(r['failing'])}" if r["failing"] else ""), flush=True)
        for server, _ in servers.values():
            server.shutdown()

    offsite = {page: r["offsite"] for page, r in rows.items() if r["offsite"] and not page.startswith("empty")}
    book_rows = {p: r for p, r in rows.items() if not p.startswith("empty")}
    below = [p for p, r in book_rows.items()
             if r["performance"] < 95 or min(r[c] for c in CATEGORIES[1:]) < 100]
    text = (
        "## Lighthouse\n\n"
        f"Measured {datetime.date.today().isoformat()} by `benchmarks/lighthouse.py --runs {args.runs}` "
        f"(median of {args.runs} run{'s' if args.runs > 1 else ''} per page) with Lighthouse {LIGHTHOUSE_VERSION}, "
        f"Node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}, "
        f"{subprocess.run([CHROMIUM, '--version'], capture_output=True, text=True).stdout.strip()}.\n\n"
        "Mobile preset, simulated throttling (slow 4G, 4x CPU slowdown); pages served gzip-compressed "
        "from localhost. The empty `jupyter-book create` book is built with the same pinned stack and "
        "measured in the same run.\n\n"
        f"Machine: {platform.system()} {load_before} at the start; {machine_note()} at the end. "
        "Simulated throttling scales the timings from what this machine observed, so a busy machine "
        "(other builds running) lowers the performance scores.\n\n"
        + table(rows)
        + "\n" + (f"Below 95 / 100: {', '.join(below)}.\n" if below else
                  "Every page of the book: performance at least 95, the other three at 100.\n")
        + ("\nRequests that left localhost: " + json.dumps(offsite) + "\n" if offsite else
           "No request left localhost.\n"))
    write_section(args.output, text)
    print(f"\nwrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    if offsite:
        print(f"requests left localhost: {offsite}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
