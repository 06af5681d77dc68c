"""Shipped venue/country policies: rule sets as data, chosen by name.

Each policy is a folder of EU-format rules under ``verifier/data/rulesets/<name>/``,
laid out like the EU business-rules test data (``<RULE-ID>/rule.json`` +
``tests/testNNN.json``), so ``vaxx rules test`` checks them like any other rule set.
Taiwan's domestic modes:

- ``TW-fully-vaccinated``: vaccination only, complete series, 14 days after the last dose;
- ``TW-booster``: vaccination only, a booster (3/3+, or 2/1), 14 days after it;
- ``TW-vaccinated-or-tested``: fully vaccinated as above, or a negative PCR test sampled
  within 72 hours.

Accepted vaccines: the EMA-authorised ones plus Medigen (MVC-COV1901).

>>> policy("TW-booster").country
'TW'
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from verifier.errors import RuleSetError
from verifier.pipeline import Policy
from verifier.rules import RuleSet

POLICIES = ("TW-fully-vaccinated", "TW-booster", "TW-vaccinated-or-tested")


def policy_dir(name: str) -> Path:
    if name not in POLICIES:
        raise RuleSetError(f"unknown policy {name!r}; known: {', '.join(POLICIES)}")
    return Path(str(resources.files("verifier.data").joinpath("rulesets", name)))


@cache
def rule_set(name: str) -> RuleSet:
    """The rules of a shipped policy, loaded and validated once."""
    return RuleSet.from_paths([policy_dir(name)])


def policy(name: str) -> Policy:
    """A verification :class:`Policy` for a shipped policy (destination country TW)."""
    rules = rule_set(name)
    return Policy(country=rules.rules[0].country, rules=rules)
