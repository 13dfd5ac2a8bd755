"""advisor: sourced answers to applicants' questions about a fellowship programme, from a knowledge folder.

>>> import advisor
>>> advisor.ask("When did call 2 close?").matched
True

The public names are imported on first use (PEP 562), so that `import advisor` is
instant and the `advisor` command can install its Ctrl-C handling before the
matcher and its dependencies load.
"""

from __future__ import annotations

import importlib

# `typing` is not imported at run time: the `advisor` command imports this package first,
# and every millisecond before its Ctrl-C handling is in place counts.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .engine import DEFAULT_THRESHOLD, Advisor, ask
    from .errors import AdvisorError, KnowledgeError, KnowledgeNotFoundError, Problem
    from .knowledge import default_knowledge_dir, load_knowledge
    from .models import Answer, Entry, KnowledgeBase, Match, Source

__version__ = "0.1.0"

_HOMES = {
    "DEFAULT_THRESHOLD": ".engine",
    "Advisor": ".engine",
    "ask": ".engine",
    "AdvisorError": ".errors",
    "KnowledgeError": ".errors",
    "KnowledgeNotFoundError": ".errors",
    "Problem": ".errors",
    "default_knowledge_dir": ".knowledge",
    "load_knowledge": ".knowledge",
    "Answer": ".models",
    "Entry": ".models",
    "KnowledgeBase": ".models",
    "Match": ".models",
    "Source": ".models",
}

_SUBMODULES = frozenset(
    {"checker", "conversation", "dates", "eligibility", "eligibility_check", "engine", "errors", "evaluation",
     "index_cache", "knowledge", "matching", "models", "normalize", "render", "smalltalk"}
)  # fmt: skip

__all__ = [
    "DEFAULT_THRESHOLD",
    "Advisor",
    "AdvisorError",
    "Answer",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "KnowledgeNotFoundError",
    "Match",
    "Problem",
    "Source",
    "__version__",
    "ask",
    "default_knowledge_dir",
    "load_knowledge",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home, __name__), name)
    elif name in _SUBMODULES:  # `advisor.engine` worked when this package imported it eagerly
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'advisor' has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """The public names only (not this module's machinery, nor the submodules loaded so far)."""
    return sorted(__all__)
