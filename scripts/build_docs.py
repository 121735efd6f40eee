"""Build the documentation site offline into _docs/ (no Quarto needed).

Run: python scripts/build_docs.py
nbdev processes the notebooks (API docs for every exported name, directives applied) into _proc/,
then mkdocs-material with mkdocs-jupyter renders them, stored outputs included, with navigation
and search. Where Quarto is installed, `nbdev_docs` still works as usual.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from nbdev.serve import proc_nbs

ROOT = Path(__file__).resolve().parents[1]


def front_matter_to_heading(notebook: Path) -> str:
    "Replace nbdev's Quarto front matter by a markdown title; return the title."
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    title, description = notebook.stem, ""
    first = nb["cells"][0] if nb["cells"] else None
    if first is not None and first["cell_type"] == "raw":
        for line in "".join(first["source"]).splitlines():
            if line.startswith("title:"):
                title = line.split(":", 1)[1].strip().strip("'\"")
            if line.startswith("description:"):
                description = line.split(":", 1)[1].strip().strip("'\"")
        text = f"# {title}\n\n> {description}" if description else f"# {title}"
        nb["cells"][0] = {"cell_type": "markdown", "metadata": {}, "source": text}
        notebook.write_text(json.dumps(nb), encoding="utf-8")
    return title


def mkdocs_config(proc: Path, site: Path, titles: dict[str, str]) -> str:
    "An mkdocs.yml for the processed notebooks, the landing page first."
    names = sorted(titles, key=lambda name: (name != "index.ipynb", name))
    nav = "\n".join(f"  - {json.dumps(titles[name])}: {name}" for name in names)
    return f"""site_name: gbdt2nn
site_description: "Distil LightGBM into neural networks, explain both, and teach the student its teacher's explanations"
docs_dir: {proc}
site_dir: {site}
use_directory_urls: false
theme:
  name: material
  features: [navigation.top, search.highlight, content.code.copy]
plugins:
  - search
  - mkdocs-jupyter:
      execute: false
      include_source: true
markdown_extensions: [tables, admonition, toc]
nav:
{nav}
"""


def main() -> int:
    os.chdir(ROOT)  # nbdev reads settings.ini from the working folder
    proc, site = ROOT / "_proc", ROOT / "_docs"
    shutil.rmtree(proc, ignore_errors=True)
    proc_nbs(str(ROOT / "nbs"), n_workers=0, force=True)
    for quarto_file in proc.glob("*.yml"):
        quarto_file.unlink()  # Quarto's files; mkdocs does not need them
    titles = {nb.name: front_matter_to_heading(nb) for nb in proc.glob("*.ipynb")}
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "mkdocs.yml"
        config.write_text(mkdocs_config(proc, site, titles), encoding="utf-8")
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--clean", "-q", "-f", str(config)], check=True, env=environment)
    print(f"documentation site: {site / 'index.html'} ({len(titles)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
