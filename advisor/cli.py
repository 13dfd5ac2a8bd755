"""The command line: one question, a batch from standard input, the chat, and subcommands.

A first argument that names a subcommand runs it (`check`, `eval`, `ask`, `chat`);
anything else is a question. `advisor ask check` asks the question "check".
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from . import __version__
from .engine import DEFAULT_THRESHOLD, Advisor
from .errors import AdvisorError, KnowledgeError
from .models import Answer
from .normalize import MAX_QUERY_CHARS
from .render import clean, clean_json, render_answer

if TYPE_CHECKING:
    import argparse

    from .cli_parser import Parser

T = TypeVar("T")
EXIT_OK, EXIT_DECLINED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 130, 141
SUBCOMMANDS = ("ask", "chat", "check", "eval", "index", "init", "serve")
VALUE_OPTIONS = frozenset({"--knowledge", "--threshold"})
#: A line of standard input is read up to this many bytes (the rest is skipped): a question is
#: read up to MAX_QUERY_CHARS characters anyway, and a UTF-8 character takes at most four bytes.
MAX_LINE_BYTES = 4 * MAX_QUERY_CHARS

DESCRIPTION = """\
Answers questions from a knowledge folder (the bundled one, or --knowledge PATH),
with sources. With a question, answers it; with none, starts a chat on a terminal,
or answers each line of standard input.

subcommands:
  advisor ask QUESTION...    ask a question (even one that is a subcommand's name)
  advisor chat               start the chat
  advisor check              validate a knowledge folder
  advisor eval FILE.yaml     score the advisor on a question file
  advisor index              precompile a knowledge folder's index (faster start-up)
  advisor init DIR           start a knowledge folder for your own programme
  advisor serve              the advisor on a web page (needs the web extra)

exit status: 0 answered, 1 declined (a batch: every question declined; check/eval:
problems found), 2 usage or knowledge error, 130 interrupted."""

EVAL_FORMAT = """\
question file format (YAML): a list of items, each one of
  {q: QUESTION, expect: [REGEX, ...]}   in scope: answered, with sources, and every
                                        regular expression found in the answer
                                        (case-insensitive; expect may be left out)
  {q: QUESTION, oos: true}              out of scope: must be declined
  {q: QUESTION, near: REGEX}            about another institution: declined, or the
                                        answer matches REGEX (names it) and the
                                        institution whose fact it gives
  {turns: [{q: ..., expect: [...]}, ...]}
                                        a conversation, asked turn by turn
example:
  - {q: "When did call 2 close?", expect: ["10 January 2018"]}
  - {q: "Who won the world cup?", oos: true}
  - {q: "How many grants has Caldervale University won?", near: "Caldervale"}
  - turns:
      - {q: "When did call 1 close?", expect: ["31 March 2017"]}
      - {q: "and call 3?", expect: ["31 October 2018"]}

exit status: 0, or 1 when below --min-in-scope / --min-declined; 2 for a bad file."""


class OutputError(AdvisorError):
    """Standard output cannot be written (closed, or the disk is full)."""


class _Terminated(BaseException):
    """SIGTERM or SIGHUP: unwind like Ctrl-C (a half-written index removes its temporary file)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _emit(text: str = "", *, flush: bool = False) -> None:
    """Print one block on standard output. A closed pipe stays a BrokenPipeError (ended quietly in
    main); any other write error becomes an OutputError, reported in one line."""
    try:
        print(text, file=sys.stdout, flush=flush)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _error(message: str) -> None:
    """One line on standard error, if there is a standard error to write to."""
    try:
        if sys.stderr is not None:
            print(f"advisor: error: {clean(message)}", file=sys.stderr, flush=True)
    except OSError:
        pass


def _common(parser: argparse.ArgumentParser, *, json_flag: bool = True) -> None:
    parser.add_argument("--knowledge", metavar="PATH", help="a folder of knowledge YAML files")
    parser.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        metavar="X",
        help=f"score below which questions are declined, unless one entry leads clearly (default {DEFAULT_THRESHOLD})",
    )
    if json_flag:
        parser.add_argument("--json", action="store_true", help="print answers as JSON")


def _question_parser(prog: str, *, need_question: bool) -> Parser:
    from .cli_parser import Parser, RawHelpFormatter

    parser = Parser(
        prog=prog,
        description=DESCRIPTION if not need_question else "Ask one question.",
        formatter_class=RawHelpFormatter,
    )
    parser.add_argument("question", nargs="+" if need_question else "*", help="the question to ask")
    _common(parser)
    parser.add_argument("--no-history", action="store_true", help="chat without keeping a history file")
    parser.add_argument("--no-color", action="store_true", help="no colour (also when NO_COLOR is set)")
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    return parser


def _find_subcommand(args: list[str]) -> int | None:
    """Index of the subcommand in `args`: the first argument that is not an option."""
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == "--":
            return None
        if arg.startswith("-"):
            skip = arg in VALUE_OPTIONS
            continue
        return index if arg in SUBCOMMANDS else None
    return None


def _use_color(stream: TextIO, *, disabled: bool) -> bool:
    # The NO_COLOR convention (no-color.org): set and not empty turns colour off.
    return not disabled and not os.environ.get("NO_COLOR") and stream.isatty()


def _width(stream: TextIO) -> int | None:
    """Wrap to the terminal (at most 100 columns); never wrap what goes to a pipe."""
    if not stream.isatty():
        return None
    try:
        columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        columns = 80
    return max(40, min(columns - 1, 100))


def _load(args: argparse.Namespace) -> Advisor:
    return Advisor(args.knowledge, threshold=args.threshold)


def _print_json(data: object, *, indent: int | None = 2, flush: bool = False) -> None:
    import json

    _emit(clean_json(json.dumps(data, ensure_ascii=False, indent=indent)), flush=flush)


def _answer_one(advisor: Advisor, question: str, *, as_json: bool = False, no_color: bool = False) -> int:
    answer = advisor.ask(question)
    if as_json:
        _print_json(answer.to_dict())
    else:
        color = _use_color(sys.stdout, disabled=no_color)
        _emit(render_answer(answer, color=color, width=_width(sys.stdout)))
    return EXIT_OK if answer.matched else EXIT_DECLINED


def _input_lines(stream: TextIO) -> Iterator[str]:
    """Each line of `stream` as soon as it arrives, cut to MAX_LINE_BYTES, with bytes that are not
    valid in its encoding shown as U+FFFD: memory stays flat however long the input or its lines."""
    binary = getattr(stream, "buffer", None)
    if binary is None:  # a text stream without bytes beneath (a test's StringIO)
        yield from (line[:MAX_LINE_BYTES] for line in stream)
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    while line := binary.readline(MAX_LINE_BYTES):
        rest = line
        while rest and not rest.endswith(b"\n"):  # skip what is past the limit, a block at a time
            rest = binary.readline(1 << 16)
        yield line.decode(encoding, "replace")


def _batch(advisor: Advisor, args: argparse.Namespace) -> int:
    """Answer each line of standard input as it comes, flushing each answer (a program on the other
    end may wait for it); a Session keeps follow-ups working."""
    from .session import Session

    if sys.stdin is None:
        raise AdvisorError("no question given, and standard input is closed")
    session = Session(advisor)
    first = True
    answered = declined = 0
    for line in _input_lines(sys.stdin):
        text = line.strip()[:MAX_QUERY_CHARS]
        if not text:
            continue
        # Commands ("/quit", "/why", "bye") work as in the chat, in both forms of output.
        reply = session.handle(text)
        answer: Answer | None = reply.answer  # None for a command
        if args.json:
            # One JSON line per line of input: an answer's, or for a command what the chat shows.
            data = answer.to_dict() if answer is not None else {"command": text.split()[0].lower(), "text": reply.text}
            _print_json(data, indent=None, flush=True)
        else:
            _emit(("" if first else "\n") + clean(f"> {text}") + "\n" + reply.text, flush=True)
            first = False
        if reply.exit:
            break
        if answer is None:
            continue
        answered, declined = (answered + 1, declined) if answer.matched else (answered, declined + 1)
    # As for a single question: 1 when there were questions and every one was declined.
    return EXIT_DECLINED if declined and not answered else EXIT_OK


def _chat(advisor: Advisor, args: argparse.Namespace) -> int:
    # Imported here so that a single question never loads prompt_toolkit.
    from .repl import run_repl
    from .session import Session

    color = _use_color(sys.stdout, disabled=args.no_color)
    session = Session(advisor, color=color, width=_width(sys.stdout))
    return run_repl(session, out=sys.stdout, keep_history=not args.no_history)


def _run_default(argv: list[str], *, prog: str = "advisor", need_question: bool = False) -> int:
    parser = _question_parser(prog, need_question=need_question)
    args = parser.parse_args(argv)
    if args.question and not " ".join(args.question).strip():
        parser.error("the question is empty")
    if not args.question and args.json and sys.stdin is not None and sys.stdin.isatty():
        parser.error("--json needs a question, or questions on standard input (one per line)")
    advisor = _load(args)
    if args.question:
        return _answer_one(advisor, " ".join(args.question), as_json=args.json, no_color=args.no_color)
    if sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty() and not args.json:
        return _terminable(lambda: _chat(advisor, args))
    return _terminable(lambda: _batch(advisor, args))


def _run_chat(argv: list[str]) -> int:

    from .cli_parser import Parser

    parser = Parser(prog="advisor chat", description="Start the interactive chat.")
    _common(parser, json_flag=False)
    parser.add_argument("--no-history", action="store_true", help="keep no history file")
    parser.add_argument("--no-color", action="store_true", help="no colour")
    args = parser.parse_args(argv)
    return _terminable(lambda: _chat(_load(args), args))


def _run_check(argv: list[str]) -> int:

    from .checker import check_knowledge
    from .cli_parser import Parser

    parser = Parser(prog="advisor check", description="Validate a knowledge folder; one line per problem.")
    parser.add_argument("--knowledge", metavar="PATH", help="the folder to check (default: the bundled one)")
    args = parser.parse_args(argv)
    report = check_knowledge(args.knowledge)
    for problem in report.problems:
        _emit(clean(str(problem)))
    for note in report.notes:
        _emit(clean(f"note: {note}"))
    _emit(clean(report.summary()))
    if not report.usable:
        return EXIT_USAGE
    return EXIT_DECLINED if report.problems else EXIT_OK


def _run_eval(argv: list[str]) -> int:
    import argparse

    from .cli_parser import Parser
    from .evaluation import evaluate, format_report, load_questions

    parser = Parser(
        prog="advisor eval",
        description="Score the advisor on a question file.",
        epilog=EVAL_FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="a YAML question file (format below)")
    _common(parser)
    parser.add_argument("--min-in-scope", type=_fraction, metavar="X", help="fail (exit 1) below this in-scope rate")
    parser.add_argument("--min-declined", type=_fraction, metavar="Y", help="fail (exit 1) below this declined rate")
    parser.add_argument(
        "--max-wrong", type=_fraction, metavar="Z", help="fail (exit 1) above this share of wrong answers among answers"
    )
    args = parser.parse_args(argv)
    items = load_questions(args.file)
    report = evaluate(_load(args), items)
    if args.json:
        _print_json(report.to_dict())
    else:
        _emit(clean(format_report(report)))
    below = (
        (args.min_in_scope is not None and report.in_scope.rate < args.min_in_scope)
        or (args.min_declined is not None and report.out_of_scope.rate < args.min_declined)
        or (args.max_wrong is not None and report.wrong_rate > args.max_wrong)
    )
    return EXIT_DECLINED if below else EXIT_OK


def _run_index(argv: list[str]) -> int:

    from .cli_parser import Parser
    from .index_cache import write_index

    parser = Parser(
        prog="advisor index",
        description="Validate a knowledge folder and write its index.cache.json, which makes start-up "
        "faster. It is ignored automatically once any knowledge file changes.",
    )
    parser.add_argument("--knowledge", metavar="PATH", help="the folder (default: the bundled one)")
    args = parser.parse_args(argv)
    from .checker import describe_folder, explain_problems

    try:
        path = _terminable(lambda: write_index(args.knowledge))
    except KnowledgeError as exc:
        problems = "\n".join(str(p) for p in explain_problems(exc.problems, args.knowledge))
        _error(clean(f"advisor: error: invalid knowledge base {describe_folder(args.knowledge)}:\n{problems}"))
        return EXIT_USAGE
    _emit(clean(f"Indexed {describe_folder(args.knowledge)}\nwrote {path}"))
    return EXIT_OK


INIT_EPILOG = """\
then:
  advisor check --knowledge DIR          0 problems, as written
  advisor --knowledge DIR "Who can apply?"
  edit DIR/about-programme.yaml (name, status, office, institutions, texts),
  DIR/sources.yaml and the entries; add topics as more files; see the README,
  "Your own programme" and "The knowledge format"."""


def _run_init(argv: list[str]) -> int:
    import argparse

    from .cli_parser import Parser
    from .skeleton import write_skeleton

    parser = Parser(
        prog="advisor init",
        description="Write a skeleton knowledge folder (programme file, one source, one entry) into DIR, "
        "which must be new or empty. It passes `advisor check` and answers its one question.",
        epilog=INIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("folder", metavar="DIR", help="the new knowledge folder (created if missing)")
    parser.add_argument(
        "--name", type=_programme_name, default="Example Fellows", help="the programme's name (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        written = write_skeleton(args.folder, args.name)
    except OSError as exc:
        raise AdvisorError(f"cannot write {exc.filename or args.folder}: {exc.strerror or exc}") from None
    _emit(clean(f"Wrote a knowledge folder for {args.name} in {args.folder}:"))
    for path in written:
        _emit(clean(f"  {path}"))
    _emit(
        clean(f'Next: advisor check --knowledge {args.folder}, then advisor --knowledge {args.folder} "Who can apply?"')
    )
    return EXIT_OK


def _programme_name(text: str) -> str:
    import argparse

    name = text.strip()
    if not name or not name.isprintable() or any(c in name for c in "{}"):
        raise argparse.ArgumentTypeError(f"a programme's name is one line of text, without braces: {text!r}")
    return name


WEB_EXTRA_MISSING = (
    "advisor serve needs Starlette, uvicorn, httptools and orjson: pip install 'advisor[web]' "
    "(in a checkout: pip install -e '.[web]')"
)


def _run_serve(argv: list[str]) -> int:
    from .cli_parser import Parser

    parser = Parser(
        prog="advisor serve",
        description="Serve the advisor's chat page and JSON API (POST /api/ask, GET /api/topics, GET /healthz). "
        "Conversations are kept by the page, not the server. Ctrl-C or SIGTERM stops it once the requests "
        "in flight are answered.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000; 0: any free one)")
    _common(parser, json_flag=False)
    parser.add_argument("--workers", type=_workers, default=1, metavar="N", help="worker processes (default 1)")
    parser.add_argument(
        "--cors-origin",
        action="append",
        type=_origin,
        default=[],
        metavar="ORIGIN",
        help="let pages of ORIGIN (https://host[:port]) call the API from their own scripts; repeatable",
    )
    parser.add_argument(
        "--frame-ancestor",
        action="append",
        type=_origin,
        default=[],
        metavar="ORIGIN",
        help="let pages of ORIGIN embed the chat page in an iframe; repeatable",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request on standard error")
    args = parser.parse_args(argv)
    try:
        import httptools  # noqa: F401
        import orjson  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        _error(WEB_EXTRA_MISSING)
        return EXIT_USAGE
    from .server import ServeOptions, serve

    options = ServeOptions(args.knowledge, args.threshold, tuple(args.cors_origin), tuple(args.frame_ancestor))
    advisor = _load(args)  # a knowledge error is reported before the server starts
    return serve(
        options, host=args.host, port=args.port, workers=args.workers, access_log=args.access_log, advisor=advisor
    )


def _port(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535: {text!r}")
    return int(text)


def _workers(text: str) -> int:
    import argparse

    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"a number of workers from 1 to 64: {text!r}")
    return int(text)


def _origin(text: str) -> str:
    """An origin for --cors-origin and --frame-ancestor (checked without importing the server)."""
    import argparse
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    try:
        port = parts.port
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a valid port: {text!r}") from None
    host = parts.hostname or ""
    if (
        parts.scheme not in ("http", "https")
        or not host
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
        or not all(c.isalnum() or c in "-.:" for c in host)
    ):
        raise argparse.ArgumentTypeError(f"an origin is http(s)://host[:port], without a path: {text!r}")
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def _threshold(text: str) -> float:
    """A score threshold: above 0 (else everything is answered) and at most 1 (scores never exceed 1)."""
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 1:  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 1 (default {DEFAULT_THRESHOLD}): {text!r}")
    return value


def _fraction(text: str) -> float:
    """0.95, 95 or 95% all mean 95 percent."""
    import argparse

    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    value = value / 100 if value > 1 or text.endswith("%") else value
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (or 0% and 100%): {text!r}")
    return value


def _dispatch(args: list[str]) -> int:
    index = _find_subcommand(args)
    if index is None and len(args) == 1 and args[0].strip() and not args[0].startswith("-"):
        # One question and no option, the commonest call: answered without building the parser,
        # which (with argparse's import) costs a tenth of the run; and without the cyclic garbage
        # collector, which would only walk the many small objects of the index again and again.
        import gc

        collecting = gc.isenabled()
        gc.disable()
        try:
            return _answer_one(Advisor(), args[0])
        finally:
            if collecting:
                gc.enable()
    if index is None:
        return _run_default(args)
    rest = args[:index] + args[index + 1 :]
    name = args[index]
    if name == "ask":
        return _run_default(rest, prog="advisor ask", need_question=True)
    if name == "chat":
        return _run_chat(rest)
    if name == "check":
        return _run_check(rest)
    if name == "index":
        return _run_index(rest)
    if name == "serve":
        return _run_serve(rest)
    if name == "init":
        return _run_init(rest)
    return _run_eval(rest)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `advisor` command; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is None:  # started with standard output closed (`advisor q >&-`)
        _error("cannot write to standard output: it is closed")
        return EXIT_USAGE
    for stream in (sys.stdout, sys.stderr):
        # Never die on an unencodable character (a lone surrogate, a narrow locale).
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    return _finish(_run(args))


def _run(args: list[str]) -> int:
    try:
        return _dispatch(args)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KnowledgeError as exc:
        _error(f"invalid knowledge base:\n{exc}")
        return EXIT_USAGE
    except OutputError as exc:
        _silence_stdout()
        _error(str(exc))
        return EXIT_USAGE
    except AdvisorError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _stderr_newline()
        return EXIT_INTERRUPTED
    except _Terminated as exc:
        return 128 + exc.signum
    except BrokenPipeError:
        # The reader went away (`advisor q | head -c 1`): stop quietly, as SIGPIPE would.
        _silence_stdout()
        return EXIT_BROKEN_PIPE


def _finish(code: int) -> int:
    """Flush what is still buffered now, so that a closed pipe or a full disk is reported here (and
    not as Python's "Exception ignored" at exit)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        _silence_stdout()
        _error(f"cannot write to standard output: {exc.strerror or exc}")
        return EXIT_USAGE
    return code


def _silence_stdout() -> None:
    """Point standard output at the null device, so that flushing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's capture), or already closed
        pass


def _stderr_newline() -> None:
    try:
        if sys.stderr is not None:
            print(file=sys.stderr)
    except OSError:
        pass


def _terminable(run: Callable[[], T]) -> T:
    """Run `run` with SIGTERM and SIGHUP turned into an exception, so that it unwinds like Ctrl-C: an
    index being written removes its temporary file, a batch stops between answers. (Only where that
    matters: a single question needs no handler, and `signal` costs start-up time.)"""
    import signal

    def terminate(signum: int, _frame: object) -> None:
        raise _Terminated(signum)

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            try:
                previous[signum] = signal.signal(signum, terminate)
            except ValueError:  # not the main thread: leave the default
                break
    try:
        return run()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
