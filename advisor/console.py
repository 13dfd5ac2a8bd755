"""The `advisor` command's entry point, quiet on Ctrl-C from its first moment.

Loading the matcher and its dependencies takes most of a single question's run; a
Ctrl-C in that time must end the program like any other (exit status 130, no
traceback), so the command line is imported only inside the handler. (A Ctrl-C
while the Python interpreter itself is still starting, before any of this code
runs, is outside the program's reach.)
"""

from __future__ import annotations

import os
import sys

EXIT_INTERRUPTED = 130


def main() -> int:
    try:
        from .cli import main as run_command_line

        code = run_command_line()
    except KeyboardInterrupt:
        try:  # noqa: SIM105  (contextlib.suppress would cost an import before the handler is in place)
            sys.stderr.write("\n")
        except (OSError, KeyboardInterrupt):
            pass
        return EXIT_INTERRUPTED
    _end_process(code)
    return code  # not reached


def _end_process(code: int) -> None:
    """End the process once everything is written, without tearing the interpreter down: freeing
    the indexed knowledge base object by object takes about a tenth of a single question's run.
    (The command has flushed and closed all it wrote; nothing of ours waits for exit handlers.)"""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # already reported by the command, or closed
    os._exit(code)
