"""CertLogic: the rule language of EU DCC business rules (specification 1.3.2).

A restricted JsonLogic with date-time operations. :func:`validate` lists what is wrong
with an expression before it is used; :func:`evaluate` runs one against a data
context, bounded in depth and work, and raises only :class:`CertLogicError`.

>>> from verifier.certlogic import evaluate, validate
>>> rule = {"after": [{"plusTime": [{"var": "dob"}, 18, "year"]},
...                   {"plusTime": [{"var": "now"}, 0, "day"]}]}
>>> validate(rule)
[]
>>> evaluate(rule, {"dob": "2010-05-01", "now": "2026-11-23T12:00:00Z"})
True
"""

from verifier.certlogic._dates import DateTime
from verifier.certlogic._evaluate import DEFAULT_LIMITS, Limits, evaluate
from verifier.certlogic._validate import Issue, validate
from verifier.errors import CertLogicError

__all__ = [
    "DEFAULT_LIMITS",
    "CertLogicError",
    "DateTime",
    "Issue",
    "Limits",
    "evaluate",
    "validate",
]
