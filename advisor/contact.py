"""The programme office's contact: named by the engine's declines and by the eligibility check's answer
on Call 3. Here, below both, so that neither has to import the other for it."""

from __future__ import annotations

PROGRAMME_OFFICE = "leadingfellows@tudelft.nl"
