"""Build the documentation site offline into _docs/ (no Quarto needed).

Run: python scripts/build_docs.py [--out _docs]    then open _docs/index.html in a browser.
Every notebook becomes one page, as nbdev would publish it: the front matter (the first cell's `# title` and
`> description`, read as nbdev's YAML front matter) gives the page's title and description; directives are applied
(`#| hide` and export-only cells hidden, `#| echo: false` shows only outputs, `#| output: asis` inserts outputs as
markdown, `#| eval: false` shows code without outputs); every exported function and class gets an API entry (a
heading, its signature, docstring and parameter table, and a link to its source, published as a page of the site);
stored outputs (tables, figures, printed text) appear as they were saved. mkdocs-material renders the pages with
navigation and search. The notebooks themselves are not published.
"""
import argparse
import ast
import base64
import importlib
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "gbdt2nn"
HIDING = ("hide", "exporti", "default_exp")  # directives whose cells never appear (so does `#| include: false`)


def notebook_cells(path: Path) -> list[dict]:
    "The notebook's cells as JSON dicts, each with its directives parsed: {'name': 'value'}."
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        source = "".join(cell["source"])
        lines = source.splitlines()
        directives = {}
        while cell["cell_type"] == "code" and lines and lines[0].startswith("#|"):
            name, _, value = lines.pop(0)[2:].strip().partition(" ")  # 'eval: false' -> 'eval:', 'false'
            directives[name] = value.strip()
        cell["directives"] = directives
        cell["text"] = "\n".join(lines).strip("\n") if cell["cell_type"] == "code" else source
    return cells


def front_matter(cells: list[dict]) -> dict:
    "The notebook's front matter as nbdev writes it (YAML from the `# title` and `> description` cell), parsed as YAML."
    first = cells[0]["text"] if cells and cells[0]["cell_type"] == "markdown" else ""
    title = re.search(r"^#\s+(.+)$", first, re.M)
    description = re.search(r"^>\s*(.+)$", first, re.M)
    text = yaml.safe_dump({"title": title.group(1).strip() if title else "",
                           "description": description.group(1).strip() if description else ""}, allow_unicode=True)
    return yaml.safe_load(text)


def exported_names(source: str) -> list[str]:
    "Public functions and classes a cell defines."
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")]


def source_link(obj, page_of_module: dict[str, str]) -> str:
    "A link to the line of the site's source page where `obj` is defined."
    module = inspect.getmodule(obj).__name__.split(".")[-1]
    line = inspect.getsourcelines(obj)[1]
    return f"[source]({page_of_module[module]}#__codelineno-0-{line})"


def parameter_table(obj) -> str:
    "nbdev's parameter table (names, types, defaults and the comments beside them), or '' when there is none."
    from nbdev.showdoc import DocmentTbl
    try:
        table = DocmentTbl(obj)._repr_markdown_()
    except Exception:  # builtins and objects without a signature
        return ""
    return table if table.count("\n") > 2 else ""


def signature(obj, name: str) -> str:
    "The object's call signature as Python code, one parameter a line when it is long."
    try:
        found = inspect.signature(obj, eval_str=True)  # annotations as types, not strings
    except (NameError, TypeError, ValueError):
        try:
            found = inspect.signature(obj)
        except (TypeError, ValueError):
            return f"{name}(...)"
    head = f"{'class ' if inspect.isclass(obj) else 'def '}{name}"
    text = f"{head}{found}"
    if len(text) <= 100:
        return text
    returns = "" if found.return_annotation is inspect.Signature.empty else \
        f" -> {inspect.formatannotation(found.return_annotation)}"
    return f"{head}(\n" + "".join(f"    {p},\n" for p in found.parameters.values()) + f"){returns}"


def api_entry(obj, name: str, page_of_module: dict[str, str], level: int = 3) -> str:
    "Markdown of one API entry: heading, source link, signature, docstring, parameter table; classes with their methods."
    parts = [f"{'#' * level} `{name}`", "", source_link(obj, page_of_module), "",
             "```python", signature(obj, name), "```", "", inspect.getdoc(obj) or "", "",
             parameter_table(obj.__init__ if inspect.isclass(obj) else obj)]
    if inspect.isclass(obj):
        for method_name, method in vars(obj).items():
            method = getattr(method, "__func__", method)
            if not method_name.startswith("_") and inspect.isfunction(method) and method.__qualname__.startswith(obj.__name__):
                parts.append(api_entry(method, f"{name}.{method_name}", page_of_module, level + 1))
    return "\n".join(parts) + "\n"


def output_markdown(output: dict, asis: bool, images: list[tuple[str, bytes]], page: str) -> str:
    "Markdown of one stored output (stderr, warnings and empty results are left out)."
    kind = output["output_type"]
    if kind == "stream":
        text = "".join(output["text"]).rstrip()
        return "" if output.get("name") == "stderr" or not text else fenced(text, asis)
    if kind == "error":
        return ""
    data = output.get("data", {})
    if "image/png" in data:
        name = f"{page}_figure{len(images)}.png"
        images.append((name, base64.b64decode("".join(data["image/png"]))))
        return f"![figure](figures/{name})"
    if "text/markdown" in data:
        return "".join(data["text/markdown"])
    if "text/html" in data:
        return "\n".join(line.rstrip() for line in "".join(data["text/html"]).strip().splitlines())
    text = "".join(data.get("text/plain", "")).rstrip()
    return fenced(text, asis) if text else ""


def fenced(text: str, asis: bool) -> str:
    "Text as a fenced block, or as it is for `output: asis` cells."
    return text if asis else f"```text\n{text}\n```"


def page_markdown(path: Path, page_of_module: dict[str, str], images: list[tuple[str, bytes]]) -> tuple[dict, str]:
    "The front matter and the markdown page of one notebook."
    cells = notebook_cells(path)
    meta = front_matter(cells)
    module = None
    parts = [f"# {meta['title']}", "", f"> {meta['description']}" if meta["description"] else ""]
    for cell in cells[1:]:
        directives = cell["directives"]
        if "default_exp" in directives:
            module = importlib.import_module(f"{PACKAGE}.{directives['default_exp']}")
        if cell["cell_type"] == "markdown":
            parts.append(cell["text"])
            continue
        if cell["cell_type"] != "code" or any(h in directives for h in HIDING) or directives.get("include:") == "false":
            continue
        if "export" in directives:  # the API entries stand for the code
            parts.extend(api_entry(getattr(module, name), name, page_of_module)
                         for name in exported_names(cell["text"]) if module is not None and hasattr(module, name))
            continue
        asis = directives.get("output:") == "asis"
        if directives.get("echo:") != "false" and cell["text"].strip():
            parts.append(f"```python\n{cell['text']}\n```")
        if directives.get("eval:") != "false" and directives.get("output:") != "false" and "hide_output" not in directives:
            parts.extend(output_markdown(o, asis, images, path.stem) for o in cell.get("outputs", []))
    return meta, "\n\n".join(p for p in parts if p.strip()) + "\n"


def local_images(markdown: str, source_folder: Path, figures: Path) -> str:
    "Copy the images a markdown page links by relative path into the site; point the links at the copies."
    def copy(match: re.Match) -> str:
        target = (source_folder / match.group(2)).resolve()
        if match.group(2).startswith(("http:", "https:", "figures/")) or not target.is_file():
            return match.group(0)
        name = "_".join(target.relative_to(ROOT).parts)
        shutil.copy(target, figures / name)
        return f"![{match.group(1)}](figures/{name})"
    return re.sub(r"!\[([^\]]*)\]\(([^)\s]+)\)", copy, markdown)


def source_pages(docs: Path) -> dict[str, str]:
    "A page of code per module of the package, with line anchors; module name -> page."
    pages = {}
    (docs / "source").mkdir()
    for module in sorted((ROOT / PACKAGE).glob("*.py")):
        if module.stem.startswith("_"):
            continue
        page = f"source/{module.stem}.md"
        (docs / page).write_text(f"# {PACKAGE}/{module.name}\n\n```python linenums=\"1\"\n"
                                 f"{module.read_text(encoding='utf-8')}\n```\n", encoding="utf-8")
        pages[module.stem] = page
    return pages


def mkdocs_config(docs: Path, site: Path, nav: list[tuple[str, str]]) -> str:
    "An mkdocs.yml for the generated pages."
    return yaml.safe_dump({
        "site_name": PACKAGE, "docs_dir": str(docs), "site_dir": str(site), "use_directory_urls": False,
        "site_description": "Distil LightGBM into neural networks, explain both, and teach the student its teacher's explanations",
        "theme": {"name": "material", "features": ["navigation.top", "search.highlight", "content.code.copy"]},
        "plugins": ["search"], "not_in_nav": "/source/*",
        "markdown_extensions": ["tables", "admonition", "toc", "md_in_html",
                                {"pymdownx.highlight": {"anchor_linenums": True}}, "pymdownx.superfences"],
        "nav": [{title: page} for title, page in nav],
    }, allow_unicode=True, sort_keys=False)


def build(out: Path) -> dict[str, dict]:
    "Build the site into `out`; return each page's front matter by page name."
    sys.path.insert(0, str(ROOT))
    notebooks = sorted((ROOT / "nbs").glob("*.ipynb"), key=lambda p: (p.stem != "index", p.stem))
    pages, nav, images = {}, [], []
    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder) / "docs"
        (docs / "figures").mkdir(parents=True)
        page_of_module = source_pages(docs)
        for notebook in notebooks:
            meta, markdown = page_markdown(notebook, page_of_module, images)
            page = f"{notebook.stem}.md"
            (docs / page).write_text(local_images(markdown, notebook.parent, docs / "figures"), encoding="utf-8")
            pages[notebook.stem] = meta
            nav.append((meta["title"], page))
        for name, data in images:
            (docs / "figures" / name).write_bytes(data)
        config = Path(folder) / "mkdocs.yml"
        config.write_text(mkdocs_config(docs, out, nav), encoding="utf-8")
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--clean", "-q", "-f", str(config)], check=True,
                       env=environment)
    (out / "pages.json").write_text(json.dumps(pages, ensure_ascii=False, indent=1), encoding="utf-8")
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "_docs"), help="site folder (default _docs/)")
    out = Path(parser.parse_args().out).resolve()
    pages = build(out)
    print(f"documentation site: {out / 'index.html'} ({len(pages)} pages); open it in a browser")
    return 0


if __name__ == "__main__":
    sys.exit(main())
