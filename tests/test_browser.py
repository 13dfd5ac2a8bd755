"""The chat page in a real browser: Playwright drives Debian's Chromium through a whole conversation.

One server and one browser launch for the whole flow, so that it stays quick. Playwright's own
browser download is not used: the test runs Debian's `chromium` package (apt-get install chromium).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's Chromium: apt-get install chromium (package 'chromium')"
    ),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright: pip install playwright")
pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")

from tests.conftest import free_port, wait_for_server  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "advisor", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_server(port, process)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.communicate(timeout=30)


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1000, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(server + "/")
        yield page
        assert not errors, errors  # no script error, no CSP violation
        browser.close()


def ask(page: Any, question: str) -> Any:
    """Type `question`, press Enter, and return the new answer once it is shown."""
    before = page.locator(".message.answer, .message.error").count()
    page.get_by_label("Your question").fill(question)
    page.get_by_label("Your question").press("Enter")
    return wait_answer(page, before)


def wait_answer(page: Any, before: int) -> Any:
    answers = page.locator(".message.answer, .message.error")
    playwright_api.expect(answers).to_have_count(before + 1)
    return answers.nth(before)


def numbered_choice_question(server: str) -> str:
    """A question the current knowledge base answers with numbered choices (the matcher changes often)."""
    import urllib.request

    for question in ("relocation?", "reviewers?", "goals?", "annual?", "stand?", "engineering projects possible?"):
        request = urllib.request.Request(
            server + "/api/ask",
            data=json.dumps({"question": question}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            if json.load(response)["choices"]:
                return question
    raise AssertionError("no question of the list is answered with numbered choices any more")


def test_a_whole_conversation_in_the_browser(page: Any, server: str) -> None:
    expect = playwright_api.expect
    expect(page.locator("#ended")).to_contain_text("has ended")
    expect(page.locator("[role=log][aria-live=polite]")).to_have_count(1)
    expect(page.get_by_label("Your question")).to_be_focused()

    # A question: the answer, and its source as a link that opens in a new tab.
    answer = ask(page, "When did the second call close?")
    expect(answer).to_contain_text("10 January 2018")
    link = answer.locator(".sources a").first
    assert link.get_attribute("href").startswith("https://")
    assert link.get_attribute("target") == "_blank" and "noopener" in link.get_attribute("rel")
    why = answer.locator("details.why")  # details on demand
    expect(why.locator("dl")).to_be_hidden()
    why.locator("summary").click()
    expect(why).to_contain_text("Chosen")

    # A follow-up.
    expect(ask(page, "and the third?")).to_contain_text("31 October 2018")

    # Two questions in one message: each under its own question, with its own sources.
    answer = ask(page, "When did call 2 close and who could apply?")
    parts = answer.locator("section.part")
    expect(parts).to_have_count(2)
    expect(parts.nth(0).locator(".part-question")).to_have_text("When did call 2 close")
    expect(parts.nth(0)).to_contain_text("10 January 2018")
    expect(parts.nth(1).locator(".part-question")).to_have_text("who could apply?")
    expect(parts.nth(1)).to_contain_text("1 July 2013")
    for n in range(2):
        expect(parts.nth(n).locator(".sources a").first).to_be_visible()

    # A suggestion, clicked (from the keyboard: focus it and press Enter).
    answer = ask(page, "How many ERC projects has LUMC hosted?")
    suggestion = answer.locator(".related button").first
    asked = suggestion.inner_text()
    before = page.locator(".message.answer").count()
    suggestion.focus()
    page.keyboard.press("Enter")
    answer = wait_answer(page, before)
    expect(page.locator(".message.user").last).to_have_text("You asked: " + asked)
    expect(answer.locator(".sources a").first).to_be_visible()

    # Numbered choices, answered by a button.
    answer = ask(page, numbered_choice_question(server))
    choice = answer.locator(".choices button").nth(1)
    chosen = choice.inner_text().split(". ", 1)[1]
    before = page.locator(".message.answer").count()
    choice.click()
    answer = wait_answer(page, before)
    expect(page.locator(".message.user").last).to_have_text("You asked: 2")
    assert "not sure which" not in answer.inner_text() and answer.locator(".sources a").count() > 0, chosen

    # The eligibility check, step by step, with a reload in the middle.
    answer = ask(page, "Am I eligible?")
    expect(answer.locator(".asks")).to_contain_text("Which call")
    expect(ask(page, "2").locator(".asks")).to_contain_text("PhD")
    expect(ask(page, "March 2015").locator(".asks")).to_contain_text("Netherlands")
    shown = page.locator(".message").count()
    page.reload()
    expect(page.locator(".message")).to_have_count(shown)  # the transcript is back...
    verdict = ask(page, "I have never lived in the Netherlands")  # ...and the conversation goes on
    expect(verdict).to_contain_text("You would have been eligible for Call 2.")
    expect(verdict.locator(".asks")).to_have_count(0)

    # Markup typed by the user is shown as text, and never run.
    answer = ask(page, "<script>window.pwned = 1</script><img src=x onerror='window.pwned = 2'> salary?")
    expect(page.locator(".message.user").last).to_contain_text("<script>window.pwned = 1</script>")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#log script, #log img").count() == 0


def test_markup_in_an_answer_is_shown_as_text(page: Any) -> None:
    """An answer (as a compromised knowledge file or proxy might send it) with markup and a javascript: link."""
    evil = {
        "text": "<b>bold</b> <img src=x onerror=\"window.pwned = 3\">",
        "matched": True,
        "intent": "x",
        "confidence": 1.0,
        "sources": [
            {"id": "a", "title": "<i>Title</i>", "url": "javascript:window.pwned = 4", "publisher": "<u>p</u>",
             "describes": "d", "third_party": False},
        ],
        "suggestions": ["<img src=y onerror=\"window.pwned = 5\">"],
        "asks": None,
        "choices": [],
        "why": None,
        "notice": None,
        "state": None,
    }  # fmt: skip
    page.route(
        "**/api/ask", lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(evil))
    )
    try:
        answer = ask(page, "anything")
    finally:
        page.unroute("**/api/ask")
    playwright_api.expect(answer.locator(".text")).to_have_text(evil["text"])
    playwright_api.expect(answer.locator(".sources")).to_contain_text("<i>Title</i>")
    assert answer.locator(".sources a").count() == 0  # not an http(s) address: no link
    playwright_api.expect(answer.locator(".related button")).to_have_text(evil["suggestions"][0])
    assert answer.locator("b, i, u, img").count() == 0
    assert page.evaluate("window.pwned") is None
