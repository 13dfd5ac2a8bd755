"""`advisor init DIR`: a skeleton knowledge folder to start a programme's own advisor from.

It holds the programme file, one source and one entry, and passes `advisor check` as written:
a curator replaces the made-up facts with the programme's own, then adds entries.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import AdvisorError

PROGRAMME_FILE = "about-programme.yaml"


class FolderNotEmptyError(AdvisorError):
    """The folder for a new knowledge base exists and holds something: nothing is overwritten."""


def _quoted(text: str) -> str:
    """`text` as a YAML double-quoted string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def skeleton_files(name: str) -> dict[str, str]:
    """The files of a new knowledge folder for a programme called `name`: file name -> text."""
    title = _quoted(name)
    return {
        PROGRAMME_FILE: f"""\
# The programme file: what is particular to your programme. The advisor's own texts (welcome,
# decline, small talk) and the office it points to come from here; see the README of advisor,
# "The knowledge format", for every field.
programme:
  name: {title}
  description: {_quoted(f"Sourced answers about the {name} programme.")}
  status:
    state: open             # open, closed or unknown
    opened: 2026-01-01
  contact:
    name: the programme office
    email: office@example.org
    url: https://www.example.org/contact
  # Entries name an institution by its id (`institution: main`); its aliases read as the id.
  institutions:
    - id: main
      name: Example Institute
      aliases: [example institute, the institute]
  welcome: |-
    {{advisor}}: sourced answers about the {name} programme ({{entries}} facts, {{sources}} sources).
    Try: "Who can apply?"
  decline: |-
    I don't have a sourced answer to that. You could ask:
    {{suggestions}}
    For anything else, write to the programme office at {{email}}.
  suggestions:
    - Who can apply?
""",
        "sources.yaml": """\
# Every answer cites one or more of these sources by id.
sources:
  - id: programme-page
    title: About the programme
    url: https://www.example.org/programme
    publisher: Example Institute
    describes: "2026"        # the call, year or page version the source describes (quoted: text)
""",
        "applying.yaml": """\
# A topic: its entries, each with example questions, an answer in your own words and its sources.
topic: applying
entries:
  - id: applying.who
    questions:
      - Who can apply?
      - Who is eligible for the programme?
      - Can I apply?
      - What are the requirements to apply?
    keywords: [eligible, eligibility, requirements]
    answer: >-
      Researchers who hold a PhD may apply (replace this with what your programme's own source
      says, dated).
    sources: [programme-page]
    institution: main
""",
    }


def write_skeleton(folder: str | os.PathLike[str], name: str = "Example Fellows") -> list[Path]:
    """Write a skeleton knowledge folder into `folder` (created if missing); the files written.

    Raises:
        FolderNotEmptyError: `folder` exists and is not empty, or is not a folder.
        OSError: it cannot be created or written.
    """
    path = Path(folder)
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            raise FolderNotEmptyError(f"{path} exists and is not a folder; name a new or empty folder")
        if any(path.iterdir()):
            raise FolderNotEmptyError(f"{path} is not empty; name a new or empty folder (nothing was written)")
    path.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, text in skeleton_files(name).items():
        target = path / file_name
        with open(target, "x", encoding="utf-8") as out:  # "x": never replace a file made meanwhile
            out.write(text)
        written.append(target)
    return written
