"""Generate README.md from nbs/index.ipynb (what `nbdev_readme` does, without Quarto).

Run: python scripts/build_readme.py
Markdown cells are copied, code cells become ```python blocks, and each output is written as
markdown (tables as markdown, text in a plain block, images as files under nbs/images/).
"""
import base64
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def output_markdown(output: dict, images: Path, stem: str) -> str:
    "One cell output as markdown."
    data = output.get("data", {})
    if output.get("output_type") == "stream":
        if output.get("name") == "stderr":
            return ""  # warnings are not part of the README
        return "```\n" + "".join(output["text"]).rstrip() + "\n```"
    if "image/png" in data:
        images.mkdir(parents=True, exist_ok=True)
        path = images / f"{stem}.png"
        path.write_bytes(base64.b64decode(data["image/png"]))
        return f"![]({path.relative_to(ROOT).as_posix()})"
    if "text/html" in data and "<table" in "".join(data["text/html"]):
        html = "".join(data["text/html"])
        return re.sub(r"<style.*?</style>", "", html, flags=re.S).strip()
    if "text/markdown" in data:
        return "".join(data["text/markdown"]).rstrip()
    if "text/plain" in data:
        return "```\n" + "".join(data["text/plain"]).rstrip() + "\n```"
    return ""


def build(notebook: Path = ROOT / "nbs" / "index.ipynb", target: Path = ROOT / "README.md") -> str:
    "Write README.md from the landing notebook; return its text."
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    parts = []
    for i, cell in enumerate(cells):
        source = "".join(cell["source"]).rstrip()
        if cell["cell_type"] == "markdown":
            parts.append(source.replace("](../", "]("))  # links relative to nbs/ become relative to the root
        elif cell["cell_type"] == "code" and source and not source.startswith("#| hide"):
            lines = [line for line in source.splitlines() if not line.startswith("#|")]
            parts.append("```python\n" + "\n".join(lines) + "\n```")
            for j, output in enumerate(cell.get("outputs", [])):
                text = output_markdown(output, ROOT / "nbs" / "images", f"readme_{i}_{j}")
                if text:
                    parts.append(text)
    text = "\n\n".join(p for p in parts if p) + "\n"
    target.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    build()
    print("README.md written from nbs/index.ipynb")
    sys.exit(0)
