"""The package reads as the pipeline: every module imports only modules of earlier chapters."""
import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gbdt2nn"


def chapter_of(module: Path) -> int | None:
    "The number of the notebook a module is exported from (None for files not exported from a notebook)."
    match = re.search(r"File to edit: \.\./nbs/(\d+)_\w+\.ipynb", module.read_text(encoding="utf-8"))
    return int(match.group(1)) if match else None


def package_imports(module: Path) -> set[str]:
    "The package modules that `module` imports (relative imports, at any depth)."
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gbdt2nn."):
            names.add(node.module.split(".")[1])
    return names


def test_modules_import_only_earlier_chapters():
    chapters = {path.stem: chapter_of(path) for path in PACKAGE.glob("*.py")}
    exported = {name: number for name, number in chapters.items() if number is not None}
    assert len(exported) >= 15, exported
    for name, number in exported.items():
        for imported in package_imports(PACKAGE / f"{name}.py"):
            assert imported in exported, f"{name} imports {imported}, which no notebook exports"
            assert exported[imported] < number, f"{name} (chapter {number}) imports {imported} (chapter {exported[imported]})"


def test_chapter_numbers_are_unique():
    numbers = [int(p.name.split("_")[0]) for p in (PACKAGE.parent / "nbs").glob("[0-9]*_*.ipynb")]
    assert len(numbers) == len(set(numbers)), sorted(numbers)
