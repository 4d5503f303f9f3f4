"""Make JupyterLab (in .venv) open the book's MyST Markdown chapters as notebooks.

Jupytext provides the "Jupytext Notebook" viewer; this sets it as the default for Markdown
files in this environment only, through JupyterLab's settings overrides.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

overrides = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
settings = json.loads(overrides.read_text()) if overrides.exists() else {}
settings.setdefault("@jupyterlab/docmanager-extension:plugin", {})["defaultViewers"] = {
    "markdown": "Jupytext Notebook",
    "myst": "Jupytext Notebook",
}
overrides.parent.mkdir(parents=True, exist_ok=True)
overrides.write_text(json.dumps(settings, indent=2) + "\n")
print(f"JupyterLab will open .md chapters as notebooks ({overrides})")
