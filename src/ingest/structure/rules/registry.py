"""What a debris rule is: :class:`Rule`, the zones it may fire in, and the registry builder.

A rule is one of three kinds, made by its constructor:

- :meth:`Rule.pattern`: the rule is a regex, matched at a paragraph's start, on paragraphs of at
  most ``max_chars`` characters;
- :meth:`Rule.predicate`: the rule is a function of one paragraph (a regex is not enough);
- :meth:`Rule.context`: the rule needs neighbours, position or what other steps found; its
  ``matcher`` is the one-paragraph test it starts from, and ``applied_by`` names the function of
  :mod:`ingest.structure.debris` or :mod:`ingest.structure.extract` that applies it (those modules
  import the rules, so the rules name them instead of importing them).

:func:`build_registry` makes the name-to-rule table and refuses two rules with one name, so a
duplicate fails when :mod:`ingest.structure.rules` is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# Debris is short. Longer paragraphs are never tested (this also bounds every regex's work).
MAX_DEBRIS_CHARS = 300

# Zones (see :func:`ingest.structure.debris.find_zones`): ``head`` is every paragraph before the
# first prose paragraph, ``tail`` every paragraph after the last one, ``edge`` is either, and
# ``anywhere`` is the whole text. ``context`` rules are applied by their own step.
# ``markup`` rules are decided by the HTML elements around a block, not by its text; the HTML
# structure step applies them.
WHERE = ("head", "tail", "edge", "anywhere", "context", "markup")

# A rule name: the ``removed.rule`` value in the output. Matches "share_row", "byline"; must not
# match "Share row", "share-row" or "_share".
RULE_NAME_RE = re.compile(r"[a-z]+(?:_[a-z]+)*")


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """A pattern rule's test: the paragraph is at most ``max_chars`` long and ``pattern`` matches
    at its start.

    >>> PatternMatch(re.compile("loading", re.IGNORECASE), 10)("Loading")
    True
    >>> PatternMatch(re.compile("loading", re.IGNORECASE), 10)("Loading the truck")
    False
    """

    pattern: re.Pattern[str]
    max_chars: int

    def __call__(self, text: str) -> bool:
        return len(text) <= self.max_chars and self.pattern.match(text) is not None


@dataclass(frozen=True, slots=True)
class Rule:
    """A named way of recognising one kind of debris.

    ``name`` is the ``removed.rule`` value in the output (stable: renamed only with a schema
    version bump), ``reason`` says what it removes, ``where`` in which zone it may fire (one of
    :data:`WHERE`), ``matcher`` decides for one paragraph, and ``applied_by`` is the dotted name
    of the function that applies a context rule (None for the others).
    """

    name: str
    reason: str
    where: str
    matcher: Callable[[str], bool]
    applied_by: str | None = None

    @classmethod
    def pattern(
        cls, name: str, reason: str, where: str, pattern: re.Pattern[str], max_chars: int
    ) -> Rule:
        """A rule that is only a regex matched at the start of a paragraph this short.

        >>> rule = Rule.pattern("x", "An x.", "edge", re.compile("x$"), max_chars=5)
        >>> rule.matcher("x"), rule.matcher("y x")
        (True, False)
        """
        return cls(name, reason, where, PatternMatch(pattern, max_chars))

    @classmethod
    def predicate(cls, name: str, reason: str, where: str, matcher: Callable[[str], bool]) -> Rule:
        """A rule decided by a function of one paragraph."""
        return cls(name, reason, where, matcher)

    @classmethod
    def context(
        cls, name: str, reason: str, matcher: Callable[[str], bool], applied_by: str
    ) -> Rule:
        """A rule that needs neighbours or position, applied by the function ``applied_by``."""
        return cls(name, reason, "context", matcher, applied_by)

    @classmethod
    def markup(cls, name: str, reason: str, applied_by: str) -> Rule:
        """A rule decided by the HTML markup around a block (any text may be removed by it)."""
        return cls(name, reason, "markup", has_text, applied_by)


def has_text(text: str) -> bool:
    """Whether a block has any text: the one-paragraph test of a markup rule.

    >>> has_text("Home"), has_text(" ")
    (True, False)
    """
    return bool(text.strip())


def build_registry(rules: Iterable[Rule]) -> dict[str, Rule]:
    """The rules by name, in the order given (the first rule that matches a paragraph wins).

    Two rules with one name would make ``removed.rule`` ambiguous, so that is an error, as is a
    name that is not snake_case, an unknown zone, or a context rule without its applier.

    >>> one = Rule.pattern("x", "An x.", "edge", re.compile("x$"), max_chars=5)
    >>> list(build_registry([one]))
    ['x']
    >>> build_registry([one, one])
    Traceback (most recent call last):
    ...
    ValueError: two rules are named 'x'
    """
    registry: dict[str, Rule] = {}
    for rule in rules:
        problem = rule_problem(rule, registry)
        if problem:
            raise ValueError(problem)
        registry[rule.name] = rule
    return registry


def rule_problem(rule: Rule, registry: dict[str, Rule]) -> str | None:
    """What makes a rule unfit for a registry that holds these rules already, or None.

    >>> rule_problem(Rule.pattern("Share row", "A row.", "edge", re.compile("x"), 5), {})
    "rule name 'Share row' is not snake_case"
    """
    if rule.name in registry:
        return f"two rules are named {rule.name!r}"
    if not RULE_NAME_RE.fullmatch(rule.name):
        return f"rule name {rule.name!r} is not snake_case"
    if rule.where not in WHERE:
        return f"rule {rule.name!r} has an unknown zone {rule.where!r}"
    if (rule.where in ("context", "markup")) != (rule.applied_by is not None):
        return f"rule {rule.name!r}: only context and markup rules name an applier"
    return None
