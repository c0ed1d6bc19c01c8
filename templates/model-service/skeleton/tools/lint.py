"""Checks that need nothing beyond the standard library, so `make lint` works anywhere.

Reports: unused imports, bare `except:`, print() in the service code, tabs, trailing whitespace, and
lines over 120 characters outside tests/ (as ruff's E501 with pyproject.toml's settings). Skips the
generated gRPC stubs (*_pb2.py, *_pb2_grpc.py), as ruff does.
ruff (requirements-dev.txt) checks much more when it is installed.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Iterator, List

MAX_LINE = 120


def problems(path: Path) -> Iterator[str]:
    source = path.read_text(encoding="utf-8")
    for number, line in enumerate(source.splitlines(), 1):
        if "\t" in line:
            yield f"{path}:{number}: tab character (indent with spaces)"
        if line != line.rstrip():
            yield f"{path}:{number}: trailing whitespace"
        if len(line) > MAX_LINE and "tests" not in path.parts:
            yield f"{path}:{number}: line is {len(line)} characters, over {MAX_LINE}"
    tree = ast.parse(source, filename=str(path))
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not (
                isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                imported.setdefault(name, node.lineno)
        elif isinstance(node, ast.ExceptHandler) and node.type is None:
            yield f"{path}:{node.lineno}: bare except: name the exceptions (or Exception)"
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
              and "src" in path.parts and path.name != "__main__.py"):
            yield f"{path}:{node.lineno}: print(): log with the logging module instead"
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    used |= {node.value.id for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)}
    # Names in string annotations and __all__ count as used.
    used |= {word for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
             for word in node.value.replace("[", " ").replace("]", " ").replace(".", " ").split()}
    if path.name != "__init__.py":
        for name, line in imported.items():
            if name not in used:
                yield f"{path}:{line}: {name} is imported but unused"


def generated(path: Path) -> bool:
    """The gRPC stubs `make proto` writes: protoc's style, not ours."""
    return path.name.endswith(("_pb2.py", "_pb2_grpc.py"))


def main(roots: List[str]) -> int:
    found = [problem for root in roots for path in sorted(Path(root).rglob("*.py")) if not generated(path)
             for problem in problems(path)]
    for problem in found:
        print(problem)
    print(f"tools/lint.py: {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["src", "tests", "tools"]))
