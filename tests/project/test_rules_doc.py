"""docs/rules.md stays true: every test it names exists, and every rule of the catalog has a row."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES_DOC = ROOT / "docs" / "rules.md"
CATALOG = ROOT.parent / "shared" / "RULES.md"
RULE_ID = re.compile(r"^\| ([SR]\d+\.\d+(?:-[a-z])?) ", re.MULTILINE)
NODE_ID = re.compile(r"tests/[\w/]+\.py::[\w:]+")


def rows():
    for line in RULES_DOC.read_text(encoding="utf-8").splitlines():
        match = RULE_ID.match(line + " ")
        if match:
            yield match.group(1), line


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{item.name}" for item in node.body if isinstance(item, ast.FunctionDef)}
    return names


def test_every_node_id_named_in_the_rules_doc_exists():
    missing = []
    for _rule, line in rows():
        for node_id in NODE_ID.findall(line):
            path, name = node_id.split("::", 1)
            if not (ROOT / path).exists() or name not in defined_tests(ROOT / path):
                missing.append(node_id)
    assert missing == []


def test_every_row_has_three_columns():
    for rule, line in rows():
        assert line.count("|") == 4, rule


def test_every_rule_of_the_catalog_has_a_row():
    documented = [rule for rule, _ in rows()]
    assert len(documented) == len(set(documented)), "a rule ID appears twice"
    if CATALOG.exists():  # ../shared is beside the checkout on developer machines and in CI
        catalog = set(RULE_ID.findall(CATALOG.read_text(encoding="utf-8")))
        assert catalog - set(documented) == set()
    assert len(documented) >= 65
