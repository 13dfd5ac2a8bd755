"""Item 6 of issue 15: the interfaces work the same for any programme. Each test runs against the
shipped knowledge base and against tests/data/harbourlight, a made-up programme with its own
programme file, institutions and calls (and no eligibility rules: it simply has no check)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import REPO

from advisor import Advisor
from advisor.checker import check_knowledge
from advisor.cli import main
from advisor.session import Session


class Programme(NamedTuple):
    folder: Path
    question: str
    fact: str  # in the answer to `question`
    follow_up: str  # after `question`: another call
    follow_up_fact: str
    other_institution: str  # a question on another institution's figure
    other_name: str
    own_name: str
    email: str
    advisor_name: str
    checks_eligibility: bool


PROGRAMMES = [
    Programme(
        REPO / "knowledge",
        "When did call 1 close?",
        "31 March 2017",
        "and call 3?",
        "31 October 2018",
        "How many ERC projects has Erasmus MC hosted?",
        "Erasmus MC",
        "LUMC",
        "leadingfellows@tudelft.nl",
        "LEaDing Fellows advisor",
        True,
    ),
    Programme(
        REPO / "tests" / "data" / "harbourlight",
        "When did call 1 close?",
        "30 April 2030",
        "and call 2?",
        "30 June 2031",
        "How many grants does Caldervale University hold?",
        "Caldervale University",
        "Northmere Institute",
        "office@harbourlight.example.org",
        "Harbourlight Fellows advisor",
        False,
    ),
]
OFF_TOPIC = "What is the price of fish in the market?"


@pytest.fixture(scope="module", params=PROGRAMMES, ids=["shipped", "harbourlight"])
def programme(request: pytest.FixtureRequest) -> Programme:
    value: Programme = request.param
    return value


@pytest.fixture(scope="module")
def bot(programme: Programme) -> Advisor:
    return Advisor(programme.folder)


def test_library_answers_follows_up_and_declines_naming_its_office(bot: Advisor, programme: Programme) -> None:
    answer = bot.ask(programme.question)
    assert answer.matched and programme.fact in answer.text and answer.sources
    chat = bot.conversation()
    chat.ask(programme.question)
    assert programme.follow_up_fact in chat.ask(programme.follow_up).text
    declined = bot.ask(OFF_TOPIC)
    assert not declined.matched and programme.email in declined.text
    for other in PROGRAMMES:  # and never another programme's office
        if other.email != programme.email:
            assert other.email not in declined.text


def test_another_institutions_figure_is_named_as_whose_it_is(bot: Advisor, programme: Programme) -> None:
    answer = bot.ask(programme.other_institution)
    assert not answer.matched
    assert answer.text.startswith(f"I don't know that for {programme.other_name}: my sources give this only for")
    assert programme.own_name in answer.text


def test_small_talk_is_the_programmes(bot: Advisor, programme: Programme) -> None:
    greeting = bot.ask("hello")
    assert greeting.intent == "smalltalk.greeting"
    name = programme.advisor_name.removesuffix(" advisor")
    assert name in greeting.text


def test_eligibility_check_only_where_there_are_rules(bot: Advisor, programme: Programme) -> None:
    assert bot.checks_eligibility is programme.checks_eligibility
    chat = bot.conversation()
    chat.ask("Am I eligible?")
    assert chat.checking_eligibility is programme.checks_eligibility


def test_cli_question_json_and_decline(programme: Programme, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(programme.folder)
    assert main(["--knowledge", folder, programme.question]) == 0
    out = capsys.readouterr().out
    assert programme.fact in out and "Sources:" in out
    assert main(["--knowledge", folder, "--json", programme.question]) == 0
    assert json.loads(capsys.readouterr().out)["matched"] is True
    assert main(["--knowledge", folder, OFF_TOPIC]) == 1
    assert programme.email in capsys.readouterr().out


def test_chat_session_welcome_and_turns(bot: Advisor, programme: Programme) -> None:
    session = Session(bot)
    welcome = session.welcome()
    assert welcome.startswith(programme.advisor_name) and f"{len(bot.knowledge.entries)} facts" in welcome
    assert programme.fact in session.handle(programme.question).text
    assert programme.follow_up_fact in session.handle(programme.follow_up).text
    assert session.handle("/quit").exit


def test_check_finds_no_problem(programme: Programme) -> None:
    report = check_knowledge(programme.folder)
    assert report.usable and report.problems == [] and report.entries > 10


def test_eval_scores_a_question_file(programme: Programme, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = tmp_path / "questions.yaml"
    questions.write_text(
        f"- {{q: {json.dumps(programme.question)}, expect: [{json.dumps(programme.fact)}]}}\n"
        f"- {{q: {json.dumps(OFF_TOPIC)}, oos: true}}\n"
        f"- {{q: {json.dumps(programme.other_institution)}, near: {json.dumps(programme.other_name)}}}\n"
        f"- turns: [{{q: {json.dumps(programme.question)}}}, "
        f"{{q: {json.dumps(programme.follow_up)}, expect: [{json.dumps(programme.follow_up_fact)}]}}]\n",
        encoding="utf-8",
    )
    folder = str(programme.folder)
    assert main(["eval", str(questions), "--knowledge", folder, "--json", "--min-in-scope", "1"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["in_scope"]["passed"] == 1 and report["out_of_scope_declined"]["passed"] == 1
    assert report["near"]["passed"] == 1 and report["conversation_turns"] == {"passed": 2, "total": 2, "rate": 1.0}


def test_web_server_page_and_api(bot: Advisor, programme: Programme) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from advisor.server import create_app

    with TestClient(create_app(bot)) as client:
        page = client.get("/")
        assert page.status_code == 200 and f"<h1>{programme.advisor_name}</h1>" in page.text
        answer = client.post("/api/ask", json={"question": programme.question}).json()
        assert answer["matched"] and programme.fact in answer["text"]
        follow = client.post("/api/ask", json={"question": programme.follow_up, "state": answer["state"]}).json()
        assert programme.follow_up_fact in follow["text"]
        declined = client.post("/api/ask", json={"question": OFF_TOPIC}).json()
        assert not declined["matched"] and programme.email in declined["text"]
        assert client.get("/healthz").json()["entries"] == len(bot.knowledge.entries)
