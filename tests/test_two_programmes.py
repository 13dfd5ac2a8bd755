"""Item 6 of issue 15: the interfaces work the same for any programme. Each test runs against the
shipped knowledge base and against tests/data/harbourlight, a made-up programme with its own
programme file, institutions, calls and eligibility rules (other windows, limits, extensions and
host country). A copy of harbourlight without its rules file shows that such a folder simply has
no check. The verdicts expected below were worked out by hand from each folder's rules file."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import REPO

from advisor import Advisor
from advisor.checker import check_knowledge
from advisor.cli import main
from advisor.session import Session


class Eligibility(NamedTuple):
    """A folder's check, step by step, and a single question with a follow-up on another call."""

    #: The chat, turn by turn: what the applicant says, and what the reply must hold (the next question).
    steps: tuple[tuple[str, tuple[str, ...]], ...]
    #: The reply to the last step: the verdict, with the folder's own numbers, dates and country.
    verdict: tuple[str, ...]
    verdict_sources: tuple[str, ...]
    #: One question with every fact, and its verdict.
    single: str
    single_verdict: tuple[str, ...]
    #: After that verdict, in a chat: another call in the programme's words, what the check then asks,
    #: the reply, and the verdict for that call (from the facts kept).
    other_call: str
    other_call_asks: tuple[str, ...]
    other_call_reply: str
    other_call_verdict: tuple[str, ...]


SHIPPED_ELIGIBILITY = Eligibility(
    steps=(
        ("Am I eligible?",
         ("Which call do you mean: Call 1 (February-March 2017) or Call 2 (November 2017-January 2018)?",)),
        ("call 2", ("Noted: Call 2.", "When did you obtain your PhD", '"March 2015"')),
        ("March 2014", ("How much time did you spend in the Netherlands between 1 July 2015 and 1 July 2018?",
                        '"in Leiden from January 2016 to June 2017"')),
        ("14 months", ("That is more than 12 months in all, so the dates matter",)),
        ("in Leiden from 1 March 2016 to 30 April 2017", ()),
    ),
    verdict=(
        "You would not have been eligible for Call 2, because of the mobility rule: 14 months of your time in "
        "the Netherlands fell in the reference period, more than the 12 months allowed.",
        "Call 2: at most 12 months in the Netherlands between 1 July 2015 and 1 July 2018",
        "Call 2 on 10 January 2018",
    ),
    verdict_sources=("lf-faq-call2",),
    single="Am I eligible for call 1? PhD in March 2013, never lived in the Netherlands.",
    single_verdict=("You would have been eligible for Call 1.",
                    "Call 1: PhD obtained (defence included) after 1 October 2012 and before 1 October 2017"),
    other_call="and the second call?",
    other_call_asks=("Without an extension you would not have been eligible for Call 2: your PhD (March 2013) came "
                     "before the window, which began after 1 July 2013.", "Did any extension apply"),
    other_call_reply="none",
    other_call_verdict=("You would not have been eligible for Call 2, because your PhD (March 2013) came before the "
                        "window, which began after 1 July 2013 (and no extension applied).",),
)  # fmt: skip

# Harbourlight's rules: Call 1 (PhD after 1 September 2026, before 1 September 2030; at most 6 months in the
# Brindle Isles from 1 September 2028 to 1 September 2030; 9 months per child); Call 2 (PhD after 1 October
# 2027, before 1 October 2031; at most 9 months from 1 October 2029 to 1 October 2031; 12 months per child
# born after the PhD). A PhD in March 2027 is inside Call 1's window, and inside Call 2's only with a child's
# 12 months (from 1 October 2026); 1 January to 31 August 2030 is 8 months in both reference periods: over
# Call 1's 6, within Call 2's 9.
HARBOURLIGHT_ELIGIBILITY = Eligibility(
    steps=(
        ("Am I eligible?", ("Which call do you mean: Call 1 (January-April 2030) or Call 2 (March-June 2031)?",)),
        ("both", ("Noted: Call 1 and Call 2.", "When did you obtain your PhD", '"September 2029"')),
        ("March 2027", ("How much time did you spend in the Brindle Isles between 1 September 2028 and 1 September "
                        "2030 (Call 1) and between 1 October 2029 and 1 October 2031 (Call 2)?",
                        '"in Port Avery from January 2030 to June 2031"')),
        # Over Call 1's limit only: its limit is the one said (not "more than 6 or 9 months").
        ("8 months", ("That is more than 6 months in all, so the dates matter: when were you in the Brindle Isles",)),
        ("in Kesswick from 1 January 2030 to 31 August 2030", (
            "You would not have been eligible for Call 1, because of the mobility rule: 8 months of your time in the "
            "Brindle Isles fell in the reference period, more than the 6 months allowed.",
            "Without an extension you would not have been eligible for Call 2: your PhD (March 2027) came before the "
            "window, which began after 1 October 2027.",
            "Did any extension apply: children (9 months each for Call 1; 12 months each for Call 2; for Call 2 only "
            "children born after the PhD)",
        )),
        ("one child", ()),
    ),
    verdict=(
        "You would not have been eligible for Call 1, because of the mobility rule: 8 months of your time in the "
        "Brindle Isles fell in the reference period, more than the 6 months allowed.",
        "You would have been eligible for Call 2.",
        "Call 2: PhD obtained (defence included) after 1 October 2027 and before 1 October 2031; with your "
        "extensions (12 months), after 1 October 2026",
        "Call 2 extension for pregnancy: 12 months per child born after the PhD award, here 12 months",
        "Call 2: at most 9 months in the Brindle Isles between 1 October 2029 and 1 October 2031",
        "Rules applied (from each call's guide for applicants):",
        "Deadlines: Call 1 on 30 April 2030, Call 2 on 30 June 2031. The Harbourlight office checks every application",
    ),
    verdict_sources=("hl-call1", "hl-call2"),
    single="Am I eligible for call 1? PhD in November 2026, never lived in the Brindle Isles.",
    single_verdict=("You would have been eligible for Call 1.",
                    "Call 1: at most 6 months in the Brindle Isles between 1 September 2028 and 1 September 2030",
                    "Deadlines: Call 1 on 30 April 2030."),
    # "latest" names Call 2 in harbourlight's programme file only: the router reads the programme's call words.
    other_call="and the latest call?",
    other_call_asks=("Without an extension you would not have been eligible for Call 2: your PhD (November 2026) "
                     "came before the window, which began after 1 October 2027.", "Did any extension apply"),
    other_call_reply="none",
    other_call_verdict=("You would not have been eligible for Call 2, because your PhD (November 2026) came before "
                        "the window, which began after 1 October 2027 (and no extension applied).",
                        "Deadlines: Call 2 on 30 June 2031."),
)  # fmt: skip


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
    eligibility: Eligibility
    call_3_exists: bool


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
        SHIPPED_ELIGIBILITY,
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
        HARBOURLIGHT_ELIGIBILITY,
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


def _holds(text: str, fragments: tuple[str, ...]) -> None:
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"


def test_library_eligibility_check_step_by_step_to_the_folders_verdict(bot: Advisor, programme: Programme) -> None:
    check = programme.eligibility
    assert bot.checks_eligibility
    chat = bot.conversation()
    for said, expected in check.steps[:-1]:
        answer = chat.ask(said)
        assert answer.intent == "eligibility.assessment" and chat.checking_eligibility, said
        _holds(answer.text, expected)
    verdict = chat.ask(check.steps[-1][0])
    assert not chat.checking_eligibility and verdict.intent == "eligibility.assessment"
    _holds(verdict.text, check.verdict)
    assert tuple(source.id for source in verdict.sources) == check.verdict_sources
    for other in PROGRAMMES:  # never another programme's country, calls or office
        if other.folder != programme.folder:
            assert other.eligibility.verdict[0] not in verdict.text


def test_library_single_question_verdict_then_another_call_in_the_programmes_words(
    bot: Advisor, programme: Programme
) -> None:
    check = programme.eligibility
    _holds(bot.ask(check.single).text, check.single_verdict)
    chat = bot.conversation()
    _holds(chat.ask(check.single).text, check.single_verdict)
    asks = chat.ask(check.other_call)  # the facts given are kept; only the call changes
    assert chat.checking_eligibility
    _holds(asks.text, check.other_call_asks)
    _holds(chat.ask(check.other_call_reply).text, check.other_call_verdict)
    assert not chat.checking_eligibility


def test_after_a_verdict_a_call_the_programme_lacks_is_no_check(bot: Advisor, programme: Programme) -> None:
    chat = bot.conversation()
    chat.ask(programme.eligibility.single)
    answer = chat.ask("and call 3?")
    # The shipped programme's Call 3 has no surviving rules, which the check says; harbourlight has no Call 3.
    assert (answer.intent == "eligibility.assessment") is programme.call_3_exists
    assert ("I can't check Call 3" in answer.text) is programme.call_3_exists


@pytest.fixture(scope="module")
def without_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """harbourlight without its eligibility rules file."""
    folder = tmp_path_factory.mktemp("knowledge") / "harbourlight-no-rules"
    shutil.copytree(PROGRAMMES[1].folder, folder)
    (folder / "eligibility-rules.yaml").unlink()
    return folder


@pytest.mark.parametrize("question", ["Am I eligible?", HARBOURLIGHT_ELIGIBILITY.single])
def test_a_folder_without_rules_has_no_check(without_rules: Path, question: str) -> None:
    bot = Advisor(without_rules)
    assert not bot.checks_eligibility and check_knowledge(without_rules).problems == []
    answer = bot.ask(question)
    # A plain answer from the entries (who may apply) or a decline: never a verdict.
    assert answer.intent == "applying.who" or not answer.matched
    assert "eligible for Call" not in answer.text
    chat = bot.conversation()
    for said in (question, "call 2", "March 2027", "and the latest call?"):
        turn = chat.ask(said)
        assert not chat.checking_eligibility and turn.intent != "eligibility.assessment"
        assert "Brindle" not in turn.text and "Netherlands" not in turn.text
    session = Session(bot)
    assert '"Am I eligible?"' not in session.handle("/help").text
    assert main(["--knowledge", str(without_rules), question]) in (0, 1)  # answered or declined, no traceback


def test_chat_help_names_the_programmes_own_calls(bot: Advisor, programme: Programme) -> None:
    text = Session(bot).handle("/help").text
    assert ('"and call 3?"' in text) is programme.call_3_exists
    assert '"When did call 1 close?"' in text and '"Am I eligible?" starts a step-by-step check' in text


def test_cli_question_json_and_decline(programme: Programme, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(programme.folder)
    assert main(["--knowledge", folder, programme.question]) == 0
    out = capsys.readouterr().out
    assert programme.fact in out and "Sources:" in out
    assert main(["--knowledge", folder, "--json", programme.question]) == 0
    assert json.loads(capsys.readouterr().out)["matched"] is True
    assert main(["--knowledge", folder, OFF_TOPIC]) == 1
    assert programme.email in capsys.readouterr().out


def test_cli_single_question_verdict_and_batch_check(
    programme: Programme, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check, folder = programme.eligibility, str(programme.folder)
    assert main(["--knowledge", folder, check.single]) == 0
    _holds(" ".join(capsys.readouterr().out.split()), check.single_verdict)
    # A batch (standard input not a terminal) carries the check from line to line, as the chat does.
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{said}\n" for said, _ in check.steps)))
    assert main(["--knowledge", folder, "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == len(check.steps) and all(line["intent"] == "eligibility.assessment" for line in lines)
    for line, (_, expected) in zip(lines, check.steps[:-1], strict=False):
        _holds(line["text"], expected)
    _holds(lines[-1]["text"], check.verdict)


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
        # The eligibility check, step by step, with the state each answer hands back.
        check, state = programme.eligibility, None
        for said, expected in programme.eligibility.steps:
            body: dict[str, object] = {"question": said} if state is None else {"question": said, "state": state}
            reply = client.post("/api/ask", json=body)
            assert reply.status_code == 200, reply.text
            step = reply.json()
            _holds(step["text"], expected)
            state = step["state"]
        _holds(step["text"], check.verdict)
        single = client.post("/api/ask", json={"question": check.single}).json()
        _holds(single["text"], check.single_verdict)
        other = client.post("/api/ask", json={"question": check.other_call, "state": single["state"]}).json()
        _holds(other["text"], check.other_call_asks)
