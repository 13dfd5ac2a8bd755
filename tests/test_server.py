"""The web API through Starlette's test client: every endpoint, and every kind of bad input gets a JSON 4xx."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")
pytest.importorskip("httpx", reason="Starlette's test client needs httpx")

from starlette.testclient import TestClient

from advisor import Advisor
from advisor.normalize import MAX_QUERY_CHARS
from advisor.server import MAX_BODY_BYTES, STATE_RESET_NOTICE, create_app
from benchmarks.load import server_pids
from tests.conftest import free_port, wait_for_server


@pytest.fixture(scope="module")
def bot() -> Advisor:
    return Advisor()


@pytest.fixture(scope="module")
def client(bot: Advisor) -> TestClient:
    return TestClient(create_app(bot), raise_server_exceptions=False)


def ask(client: TestClient, question: str, state: Any = None) -> dict[str, Any]:
    response = client.post("/api/ask", json={"question": question, "state": state})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_ask_returns_the_answer_its_sources_and_a_state(client: TestClient, bot: Advisor) -> None:
    data = ask(client, "When did call 2 close?")
    expected = bot.ask("When did call 2 close?").to_dict()
    assert {key: data[key] for key in expected} == expected
    assert "10 January 2018" in data["text"] and data["sources"][0]["url"].startswith("https://")
    assert data["state"]["v"] == 1 and data["notice"] is None and data["asks"] is None
    assert data["why"]["chosen"]["entry"] == "calls.call2" and data["why"]["outcome"] == "answered"


def test_the_state_carries_follow_ups_and_the_eligibility_check(client: TestClient) -> None:
    first = ask(client, "When did call 1 close?")
    assert "31 October 2018" in ask(client, "and call 3?", first["state"])["text"]
    step = ask(client, "Am I eligible?")
    assert step["asks"] and step["text"].endswith(step["asks"]) and "Which call" in step["asks"]
    step = ask(client, "2", step["state"])
    assert "PhD" in step["asks"]
    step = ask(client, "March 2015", step["state"])
    assert "Netherlands" in step["asks"]
    verdict = ask(client, "never", step["state"])
    assert verdict["asks"] is None and "You would have been eligible for Call 2." in verdict["text"]
    assert verdict["why"]["outcome"] == "eligibility check"


def test_numbered_choices_are_listed_and_taken(client: TestClient, bot: Advisor) -> None:
    offered = None
    for question in ("relocation?", "reviewers?", "goals?", "annual?", "stand?", "engineering projects possible?"):
        data = ask(client, question)
        if data["choices"]:
            offered = data
            break
    assert offered is not None, "no question of the list is answered with numbered choices any more"
    assert [c["number"] for c in offered["choices"]] == [1, 2]
    assert offered["choices"][0]["question"] in offered["text"]
    chosen = ask(client, "2", offered["state"])
    assert chosen["matched"] and chosen["intent"] == bot.ask(offered["choices"][1]["question"]).intent


def test_a_state_that_does_not_validate_starts_afresh_and_says_so(client: TestClient) -> None:
    state = ask(client, "Am I eligible?")["state"]
    assert "PhD" in (ask(client, "2", state)["asks"] or "")  # the unspoilt state goes on with the check
    for bad in ({**state, "last_entry": "no.such.entry"}, "garbage", [1, 2], {**state, "v": 0}):
        data = ask(client, "2", bad)
        assert data["notice"] == STATE_RESET_NOTICE
        assert "PhD" not in (data["asks"] or "")  # no check going on: the conversation began afresh
    assert ask(client, "What is LUMC?", None)["notice"] is None


def test_topics_and_health(client: TestClient, bot: Advisor) -> None:
    topics = client.get("/api/topics").json()["topics"]
    assert {t["name"] for t in topics} == set(bot.knowledge.topics) - {"smalltalk"} or len(topics) >= 5
    assert all(t["questions"] for t in topics)
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    assert health.json()["entries"] == len(bot.knowledge.entries)


def test_the_page_and_its_files(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/app.js"' in page.text and "<script>" not in page.text  # no inline script
    assert "has ended" in page.text
    for name, kind in (("app.js", "javascript"), ("style.css", "text/css")):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
    assert "http" not in client.get("/static/app.js").text.replace("http:", "").replace("https:", "").replace(
        "http(s)", ""
    )  # nothing fetched from another host


@pytest.mark.parametrize("path", ["/", "/api/ask", "/api/topics", "/healthz", "/nowhere", "/static/nothing.js"])
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in response.headers


def bad(client: TestClient, status: int, **kwargs: Any) -> str:
    method = kwargs.pop("method", "POST")
    path = kwargs.pop("path", "/api/ask")
    response = client.request(method, path, **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    assert data["status"] == status and isinstance(data["error"], str) and "Traceback" not in response.text
    return str(data["error"])


JSON = {"Content-Type": "application/json"}


def test_bad_input_gets_a_json_4xx(client: TestClient) -> None:
    assert "not valid JSON" in bad(client, 400, content=b'{"question": ', headers=JSON)
    assert "not UTF-8" in bad(client, 400, content=b'{"question": "\xff"}', headers=JSON)
    assert "not valid JSON" in bad(client, 400, content=b"[" * 7_000 + b"]" * 7_000, headers=JSON)
    assert "JSON object" in bad(client, 422, json=["When did call 2 close?"])
    assert "JSON object" in bad(client, 422, json="When did call 2 close?")
    assert "missing" in bad(client, 422, json={"state": None})
    assert "must be a string" in bad(client, 422, json={"question": 42})
    assert "must be a string" in bad(client, 422, json={"question": None})
    assert "must be a string" in bad(client, 422, json={"question": ["a"]})
    assert "empty" in bad(client, 422, json={"question": "   "})
    assert "longer than" in bad(client, 422, json={"question": "x" * (MAX_QUERY_CHARS + 1)})
    assert "Content-Type" in bad(client, 415, content=b'{"question": "hi"}', headers={"Content-Type": "text/plain"})
    assert "Content-Type" in bad(client, 415, data={"question": "hi"})  # an HTML form's encoding


def test_a_question_at_the_limit_is_answered(client: TestClient) -> None:
    data = ask(client, "salary " * (MAX_QUERY_CHARS // 7))
    assert isinstance(data["text"], str)


def test_a_body_over_16_kb_is_refused(client: TestClient) -> None:
    body = json.dumps({"question": "What is LUMC?", "state": {"pad": "x" * MAX_BODY_BYTES}}).encode()
    assert "larger than 16 KB" in bad(client, 413, content=body, headers=JSON)

    def chunks() -> Any:  # no Content-Length: the size is counted as the body arrives
        yield b'{"question": "What is LUMC?", "state": "'
        for _ in range(40):
            yield b"x" * 1024
        yield b'"}'

    assert "larger than 16 KB" in bad(client, 413, content=chunks(), headers=JSON)
    assert "larger than 16 KB" in bad(client, 413, content=b"{}", headers={**JSON, "Content-Length": "99999999"})


def test_wrong_method_or_path(client: TestClient) -> None:
    assert bad(client, 405, method="GET") == "method not allowed here"
    assert bad(client, 405, method="PUT", json={"question": "hi"})
    assert bad(client, 405, method="DELETE")
    assert bad(client, 405, method="POST", path="/api/topics", json={})
    assert bad(client, 405, method="POST", path="/healthz", json={})
    assert bad(client, 404, method="GET", path="/api/nothing") == "no such page"
    assert bad(client, 404, method="GET", path="/static/../pyproject.toml")
    assert client.request("OPTIONS", "/api/ask").status_code == 405  # no CORS preflight without --cors-origin


def test_cors_only_for_the_origin_named(bot: Advisor) -> None:
    client = TestClient(create_app(bot, cors_origins=["https://www.example.org"]))
    preflight = client.options(
        "/api/ask",
        headers={"Origin": "https://www.example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://www.example.org"
    other = client.post("/api/ask", json={"question": "What is LUMC?"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_frame_ancestors_name_the_embedding_sites(bot: Advisor) -> None:
    client = TestClient(create_app(bot, frame_ancestors=["https://www.example.org"]))
    assert "frame-ancestors 'self' https://www.example.org" in client.get("/").headers["content-security-policy"]


def test_the_library_and_other_commands_never_import_the_web_extra() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from advisor.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['--json', 'What is LUMC?'])\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['check'])\n"
        "bad = [m for m in ('starlette', 'uvicorn', 'advisor.server') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_serve_without_the_web_extra_says_how_to_install_it(tmp_path: Any) -> None:
    # A module named starlette that fails to import stands for a missing extra.
    (tmp_path / "starlette.py").write_text("raise ImportError('No module named starlette')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "serve"], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pip install" in lines[0] and "[web]" in lines[0], result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "99999"], "port"),
        (["--workers", "0"], "workers"),
        (["--cors-origin", "https://a.example/path"], "origin"),
        (["--frame-ancestor", "https://a.example; script-src *"], "origin"),
        (["--knowledge", "/nonexistent/folder"], "nonexistent"),
    ],
)
def test_serve_usage_errors_are_one_line(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "serve", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_serve_binds_localhost_and_sigterm_lets_a_request_in_flight_finish() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_server(port, process)
        body = json.dumps({"question": "When did call 2 close?"}).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            head = (
                "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            )
            conn.sendall(head.encode() + body[:10])  # the request has begun...
            time.sleep(0.5)
            process.send_signal(signal.SIGTERM)  # ...when the server is told to stop
            time.sleep(0.5)
            conn.sendall(body[10:])
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 200") and b"10 January 2018" in reply
        _, stderr = process.communicate(timeout=30)
        assert f"serving http://127.0.0.1:{port}/" in stderr and "Traceback" not in stderr
        assert process.returncode in (0, -signal.SIGTERM)
        with pytest.raises(OSError):  # and it is gone
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.slow
def test_serve_refuses_a_port_in_use_in_one_line() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "advisor", "serve", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 2 and "cannot listen on 127.0.0.1" in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts worker processes through Linux's /proc")
def test_serve_with_two_workers_carries_one_conversation_across_them() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the workers can be killed with it
    )
    try:
        wait_for_server(port, process)
        deadline = time.monotonic() + 30
        # server_pids: the server process, then its children (the workers), read from /proc.
        while len(server_pids(process.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = server_pids(process.pid)[1:]
        assert len(workers) >= 2, workers

        def ask(question: str, state: object) -> dict[str, Any]:
            # A new connection each time, so that either worker may take the request.
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/ask",
                data=json.dumps({"question": question, "state": state}).encode(),
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                reply: dict[str, Any] = json.loads(response.read())
                return reply

        state: object = None
        for _ in range(10):
            first = ask("When did call 1 close?", state)
            assert "31 March 2017" in first["text"]
            follow_up = ask("and call 3?", first["state"])
            assert "31 October 2018" in follow_up["text"], follow_up["text"]
            state = follow_up["state"]
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        assert "Traceback" not in stderr
    finally:
        if process.poll() is None:
            # The workers hold the output pipes too: killing the server alone would leave
            # communicate() waiting on them for ever.
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=30)
