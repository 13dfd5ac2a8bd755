"""advisor: answers questions about the LEaDing Fellows postdoc programme and LUMC.

>>> import advisor
>>> advisor.ask("How is LUMC ranked?").matched
True
"""

from __future__ import annotations

from .engine import DEFAULT_THRESHOLD, Advisor, ask
from .errors import AdvisorError, KnowledgeError, KnowledgeNotFoundError, Problem
from .knowledge import default_knowledge_dir, load_knowledge
from .models import Answer, Entry, KnowledgeBase, Match, Source

__version__ = "0.1.0"

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
