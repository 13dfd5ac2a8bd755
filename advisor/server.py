"""`advisor serve`: the advisor on a web page, as an ASGI application (Starlette) served by uvicorn.

Only the CLI's `serve` subcommand imports this module; the library never does. The server
keeps no conversations: each answer carries the conversation's state (see
advisor.conversation_state) to the page, which sends it back with the next question. Any
worker, on any machine, can therefore answer any question, and memory does not grow with
the number of conversations.
"""

from __future__ import annotations

import gc
import html
import json
import os
import socket
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .conversation import Conversation
from .engine import DEFAULT_THRESHOLD, ELIGIBILITY_REASON, Advisor
from .errors import AdvisorError
from .models import Answer, Match
from .normalize import MAX_QUERY_CHARS

STATIC = Path(__file__).resolve().parent / "static"
#: A request body is read up to this many bytes; a longer one is refused (413) unread.
MAX_BODY_BYTES = 16 * 1024
#: The environment variable that hands the options to each worker process (`--workers N`).
OPTIONS_ENV = "ADVISOR_SERVE_OPTIONS"
STATE_RESET_NOTICE = (
    "Your conversation could not be picked up where it was (its saved state was not valid), "
    "so this question starts a new one."
)
GRACEFUL_SECONDS = 30
INTERNAL_ERROR = "internal error: the advisor could not answer this request"
NO_STORE = (b"cache-control", b"no-store")
ASK_PATH = "/api/ask"
JSON_TYPE = (b"content-type", b"application/json")


class ServeOptions(NamedTuple):
    """What `advisor serve` was told; JSON-serialisable, for the worker processes."""

    knowledge: str | None = None
    threshold: float = DEFAULT_THRESHOLD
    cors_origins: tuple[str, ...] = ()
    frame_ancestors: tuple[str, ...] = ()


def content_security_policy(frame_ancestors: Sequence[str] = ()) -> str:
    """Only the page's own files: no inline script or style, no other host; framed only by the origins named."""
    ancestors = " ".join(("'self'", *frame_ancestors))
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        f"base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )


def security_headers(frame_ancestors: Sequence[str] = ()) -> list[tuple[bytes, bytes]]:
    """The headers every response carries, errors included."""
    return [
        (b"content-security-policy", content_security_policy(frame_ancestors).encode("latin-1")),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]


class SecurityHeaders:
    """Adds the security headers to every response, errors included (so it wraps the whole application)."""

    def __init__(self, app: ASGIApp, *, frame_ancestors: Sequence[str] = ()) -> None:
        self.app = app
        self.headers = security_headers(frame_ancestors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def to_json(data: Any) -> bytes:
    """`data` as compact UTF-8 JSON, as Starlette's JSONResponse writes it (no NaN, non-ASCII kept as it
    is), by orjson: about ten times faster than the standard library's encoder on an answer."""
    body: bytes = orjson.dumps(data)
    return body


class JSONBody(JSONResponse):
    """A JSONResponse whose body is encoded by `to_json`."""

    def render(self, content: Any) -> bytes:
        return to_json(content)


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONBody(error_data(status, message), status_code=status, headers=headers)


def error_data(status: int, message: str) -> dict[str, Any]:
    return {"error": message, "status": status}


class ClientGone(Exception):
    """The client closed the connection before its request was read."""


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of the request header `name` (lower case, as ASGI servers give names), or None."""
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def read_body(scope: Scope, receive: Receive) -> bytes:
    """The body, refused (413) beyond MAX_BODY_BYTES before it is all read."""
    declared = header(scope, b"content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise HTTPException(413, f"the request body is larger than {MAX_BODY_BYTES // 1024} KB")
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        if message["type"] != "http.request":
            continue
        body += message.get("body", b"")
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(413, f"the request body is larger than {MAX_BODY_BYTES // 1024} KB")
        if not message.get("more_body", False):
            return bytes(body)


def parse_question(body: bytes) -> tuple[str, object]:
    """The question and the state (None if not given) from a request body; HTTPException if unusable."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise HTTPException(400, "the request body is not UTF-8") from None
    except (ValueError, RecursionError):
        raise HTTPException(400, 'the request body is not valid JSON: send {"question": "...", "state": ...}') from None
    if not isinstance(data, dict):
        raise HTTPException(422, 'the request body must be a JSON object: {"question": "...", "state": ...}')
    if "question" not in data:
        raise HTTPException(422, 'the "question" field is missing')
    question = data["question"]
    if not isinstance(question, str):
        raise HTTPException(422, 'the "question" field must be a string')
    if not question.strip():
        raise HTTPException(422, "the question is empty")
    if len(question) > MAX_QUERY_CHARS:
        raise HTTPException(422, f"the question is longer than {MAX_QUERY_CHARS} characters")
    return question.strip(), data.get("state")


def explain(answer: Answer, threshold: float) -> dict[str, Any] | None:
    """Why this answer (what `/why` says in the chat), or None for small talk."""
    why = answer.explanation
    if why is None:
        return None
    if why.reason == ELIGIBILITY_REASON:
        return {"outcome": "eligibility check", "understood": why.normalized_query}

    def match(m: Match | None) -> dict[str, Any] | None:
        if m is None:
            return None
        return {"entry": m.entry_id, "score": round(m.score, 3), "matched": list(m.matched_terms)}

    return {
        "outcome": why.reason,
        "understood": why.normalized_query,
        "terms": list(why.terms),
        "corrections": [list(pair) for pair in why.corrections],
        "chosen": match(why.best),
        "runner_up": match(why.runner_up),
        "threshold": threshold,
    }


def answer_data(advisor: Advisor, question: str, state: object) -> dict[str, Any]:
    """What POST /api/ask answers: `question` asked in the conversation `state` left off (None: a new one)."""
    notice = None
    conversation: Conversation
    if state is None:
        conversation = advisor.conversation()
    else:
        try:
            conversation = Conversation.from_state(advisor, state)
        except AdvisorError:
            conversation, notice = advisor.conversation(), STATE_RESET_NOTICE
    answer = conversation.ask(question)
    new_state = conversation.to_state()
    choices = [
        {"number": n, "question": advisor.entry(entry_id).questions[0]}
        for n, entry_id in enumerate(new_state["choices"], 1)
    ]
    return {
        **answer.to_dict(),
        "asks": conversation.pending_question,
        "choices": choices,
        "why": explain(answer, advisor.threshold),
        "notice": notice,
        "state": new_state,
    }


async def read_question(advisor: Advisor, scope: Scope, receive: Receive) -> dict[str, Any]:
    """The answer to the request of `scope` (POST /api/ask); HTTPException (4xx) for a request that is unusable."""
    content_type = (header(scope, b"content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise HTTPException(415, "send the question as JSON (Content-Type: application/json)")
    question, state = parse_question(await read_body(scope, receive))
    return answer_data(advisor, question, state)


class AskEndpoint:
    """POST /api/ask as a bare ASGI application, which the application hands that request to directly.

    The answer is what a chat turn costs, and with many clients waiting it is their latency too; Starlette's
    request, routing, middleware and response objects would add about a tenth to it for nothing this
    endpoint needs. The responses are those the Starlette route gave: the same JSON, status codes and
    headers (the security headers included), errors as `http_error` and `server_error` make them.
    """

    def __init__(self, advisor: Advisor, *, frame_ancestors: Sequence[str] = ()) -> None:
        self.advisor = advisor
        self.security = security_headers(frame_ancestors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = to_json(await read_question(self.advisor, scope, receive))
        except HTTPException as exc:
            await self.send(send, exc.status_code, to_json(error_data(exc.status_code, exc.detail)))
            return
        except ClientGone:
            return  # nobody to answer
        except Exception:
            # Never a traceback to the client; the server's log has it (uvicorn logs what is raised).
            await self.send(send, 500, to_json(error_data(500, INTERNAL_ERROR)))
            raise
        await self.send(send, 200, body, NO_STORE)

    async def send(self, send: Send, status: int, body: bytes, *headers: tuple[bytes, bytes]) -> None:
        """The response, with the headers Starlette's JSONResponse and SecurityHeaders would give it, in their order."""
        length = (b"content-length", str(len(body)).encode("latin-1"))
        raw = [*headers, length, JSON_TYPE, *self.security]
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


class Application:
    """Hands POST /api/ask to `ask` and every other request to `other`."""

    def __init__(self, ask: ASGIApp, other: ASGIApp) -> None:
        self.ask = ask
        self.other = other

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        direct = scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == ASK_PATH
        if direct and not scope.get("root_path"):  # under a root path, Starlette's router knows the route
            await self.ask(scope, receive, send)
        else:
            await self.other(scope, receive, send)


def create_app(advisor: Advisor, *, cors_origins: Sequence[str] = (), frame_ancestors: Sequence[str] = ()) -> ASGIApp:
    """The web application: the chat page, its files and the JSON API, answering through `advisor`."""
    topics = _topics(advisor)

    async def ask(request: Request) -> Response:
        # Reached only with --cors-origin (the CORS middleware wraps Starlette's routes), or under a root path.
        data = await read_question(advisor, request.scope, request.receive)
        return JSONBody(data, headers={"cache-control": "no-store"})

    async def topic_list(_: Request) -> Response:
        return JSONBody({"topics": topics})

    async def health(_: Request) -> Response:
        return JSONBody(
            {"status": "ok", "version": __version__, "entries": len(advisor.knowledge.entries)},
            headers={"cache-control": "no-store"},
        )

    chat_page = render_page(advisor)

    async def page(_: Request) -> Response:
        return HTMLResponse(chat_page)

    async def http_error(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, HTTPException):  # registered for HTTPException alone; anything else is our fault
            return await server_error(request, exc)
        message = {404: "no such page", 405: "method not allowed here"}.get(exc.status_code, exc.detail)
        return error(exc.status_code, message, exc.headers)

    async def server_error(_: Request, exc: Exception) -> Response:
        # Never a traceback to the client; the server's log has it.
        return error(500, INTERNAL_ERROR)

    routes = [
        Route("/", page, methods=["GET"]),
        Route(ASK_PATH, ask, methods=["POST"]),
        Route("/api/topics", topic_list, methods=["GET"]),
        Route("/healthz", health, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = []
    if cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type"],
            )
        )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    secured = SecurityHeaders(app, frame_ancestors=frame_ancestors)
    if cors_origins:  # the CORS middleware sees every request, as the browser's rules need
        return secured
    return Application(AskEndpoint(advisor, frame_ancestors=frame_ancestors), secured)


def render_page(advisor: Advisor) -> str:
    """The chat page (static/index.html) with the programme's name, description, status note and
    suggestions filled in, every one escaped as HTML text."""
    programme = advisor.programme
    text = html.escape
    status = ""
    if programme.status.note:
        first, dot, rest = programme.status.note.partition(". ")
        note = f"<strong>{text(first + dot.strip())}</strong> {text(rest)}" if dot else text(first)
        ident = "ended" if programme.status.state == "closed" else "programme-status"
        status = f'    <p class="ended" id="{ident}" role="note">{note.strip()}</p>'
    questions = list(programme.suggestions or advisor.default_suggestions)
    hint = ""
    if advisor.checks_eligibility:
        questions.append("Am I eligible?")
        hint = (
            '        <p class="hint">"Am I eligible?" checks your own dates against the programme\'s rules, '
            "one question at a time.</p>"
        )
    buttons = "\n".join(
        f'          <li><button type="button" class="suggestion" data-question="{text(q)}">{text(q)}</button></li>'
        for q in questions
    )
    values = {
        "advisor": text(programme.advisor),
        "description": text(programme.description),
        "status": status,
        "suggestions": buttons,
        "hint": hint,
    }
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", value)
    return page


def _topics(advisor: Advisor) -> list[dict[str, Any]]:
    by_topic: dict[str, list[str]] = {}
    for entry in advisor.knowledge.entries:
        if entry.kind == "answer":
            by_topic.setdefault(entry.topic, []).append(entry.questions[0])
    return [{"name": name, "questions": questions} for name, questions in by_topic.items()]


def app_from_options(options: ServeOptions, advisor: Advisor | None = None) -> ASGIApp:
    bot = advisor or Advisor(options.knowledge, threshold=options.threshold)
    app = create_app(bot, cors_origins=options.cors_origins, frame_ancestors=options.frame_ancestors)
    # A server lives long: build the whole index now, then set it (and every other object made so
    # far) aside from the garbage collector, whose full collections would otherwise walk it again
    # and again, pausing every request in flight.
    bot.matcher.build_everything()
    gc.collect()
    gc.freeze()
    return app


def app_from_environment() -> ASGIApp:
    """The application of one worker process of `advisor serve --workers N` (options from the environment)."""
    raw = json.loads(os.environ[OPTIONS_ENV])
    options = ServeOptions(
        knowledge=raw["knowledge"],
        threshold=float(raw["threshold"]),
        cors_origins=tuple(raw["cors_origins"]),
        frame_ancestors=tuple(raw["frame_ancestors"]),
    )
    return app_from_options(options)


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; AdvisorError (one line) if it cannot be had."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise AdvisorError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise AdvisorError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def serve(
    options: ServeOptions,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    access_log: bool = False,
    advisor: Advisor | None = None,
) -> int:
    """Serve until SIGINT or SIGTERM (requests in flight are finished first); the exit status."""
    import uvicorn

    sock = listen(host, port)
    bound = sock.getsockname()
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    sys.stderr.write(f"advisor: serving http://{shown}:{bound[1]}/ (Ctrl-C or SIGTERM stops it)\n")
    sys.stderr.flush()
    from .server_protocol import OneWriteHttpProtocol

    common: dict[str, Any] = {
        "http": OneWriteHttpProtocol,  # httptools, each response in one write
        "access_log": access_log,
        "timeout_graceful_shutdown": GRACEFUL_SECONDS,
        "server_header": False,
        "proxy_headers": False,
    }
    if workers == 1:
        config = uvicorn.Config(app_from_options(options, advisor), **common)
        uvicorn.Server(config).run(sockets=[sock])
        return 0
    # Several workers: uvicorn shares the socket above with them (by its descriptor), so that the address
    # never stops listening between the line above and the workers' start (a closed and re-bound socket
    # refused connections in that moment).
    os.environ[OPTIONS_ENV] = json.dumps(options._asdict())
    uvicorn.run("advisor.server:app_from_environment", factory=True, fd=sock.fileno(), workers=workers, **common)
    sock.close()
    return 0
