"""The rule registry: one object per rule, every removal named by one, no duplicates."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ingest.structure
import ingest.structure.rules
from ingest.structure.rules import RULES, WHERE, Rule
from ingest.structure.rules.registry import PatternMatch, build_registry

RULE_MODULES = [
    importlib.import_module(info.name)
    for info in pkgutil.iter_modules(ingest.structure.rules.__path__, "ingest.structure.rules.")
]
STRUCTURE_DIR = Path(ingest.structure.__file__).parent


def defined_rules() -> dict[str, tuple[str, Rule]]:
    """Every Rule bound to a module-level name in the rules modules: ``NAME -> (module, rule)``."""
    found: dict[str, tuple[str, Rule]] = {}
    for module in RULE_MODULES:
        for name, value in vars(module).items():
            if isinstance(value, Rule) and name.isupper():
                found.setdefault(name, (module.__name__, value))
    return found


def test_every_rule_object_is_registered_and_only_those():
    rules = [rule for _, rule in defined_rules().values()]
    assert sorted(rule.name for rule in rules) == sorted(RULES)
    assert all(RULES[rule.name] is rule for rule in rules)


def test_a_duplicate_name_is_refused():
    rule = Rule.pattern("share_row", "A row.", "edge", re.compile("x"), max_chars=5)
    with pytest.raises(ValueError, match="two rules are named 'share_row'"):
        build_registry([*RULES.values(), rule])


def test_a_duplicate_rule_fails_the_import():
    # The registry is built when the package is imported: registering one rule object twice (as
    # a copied line in the list would) must stop the import, not shadow a rule.
    code = (
        "import importlib, ingest.structure.rules as rules\n"
        "from ingest.structure.rules import links\n"
        "links.RELATED_BOX = links.RELATED_LIST\n"
        "importlib.reload(rules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "ValueError: two rules are named 'related_list'" in result.stderr


@pytest.mark.parametrize(
    "rule",
    [
        Rule.pattern("Share row", "A row.", "edge", re.compile("x"), max_chars=5),
        Rule.pattern("share_row2", "A row.", "nowhere", re.compile("x"), max_chars=5),
        Rule("share_row2", "A row.", "context", str.isupper),
        Rule("share_row2", "A row.", "edge", str.isupper, "ingest.structure.debris.find_debris"),
    ],
    ids=["not-snake-case", "unknown-zone", "context-without-applier", "applier-not-context"],
)
def test_malformed_rules_are_refused(rule):
    with pytest.raises(ValueError):
        build_registry([rule])


def test_the_order_of_the_rules_is_kept():
    # The first rule that matches a paragraph wins: the language switcher before the widget
    # words, the related list before the tag row, and the byline before the photo credit.
    names = list(RULES)
    assert names[:3] == ["language_switcher_label", "trailing_widget_word", "advertisement_label"]
    assert names.index("related_list") < names.index("tag_row")
    assert names.index("byline") < names.index("photo_credit")
    assert all(rule.where in WHERE and rule.reason.endswith(".") for rule in RULES.values())


def test_pattern_rules_are_module_level_regexes():
    patterns = {
        id(value)
        for module in RULE_MODULES
        for name, value in vars(module).items()
        if name.endswith("_RE")
    }
    for rule in RULES.values():
        if isinstance(rule.matcher, PatternMatch):
            assert id(rule.matcher.pattern) in patterns, rule.name


@pytest.mark.parametrize(
    "name", sorted(name for name, (_, rule) in defined_rules().items() if rule.where == "context")
)
def test_a_context_rule_names_the_function_that_applies_it(name):
    _, rule = defined_rules()[name]
    applier = pkgutil.resolve_name(rule.applied_by)
    assert inspect.isfunction(applier)
    # The function takes the rule's name from the rule object.
    assert re.search(rf"\b{name}\b", inspect.getsource(applier)), rule.applied_by


def string_constants(path: Path) -> list[str]:
    """The string literals of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


@pytest.mark.parametrize(
    "path",
    sorted(STRUCTURE_DIR.glob("*.py")),
    ids=lambda path: path.name,
)
def test_no_removal_names_its_rule_by_a_literal(path):
    # Outside the rules package, a rule's name comes from its object (``RELATED_BOX.name``), so a
    # renamed or mistyped rule cannot leave a stale name in ``removed.rule``.
    assert set(string_constants(path)) & set(RULES) == set()
