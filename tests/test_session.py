"""Chat commands and turns, without any terminal."""

from __future__ import annotations

from advisor import Advisor
from advisor.session import Session


def test_session_answers_questions_with_sources(bot: Advisor) -> None:
    reply = Session(bot).handle("How is LUMC ranked?")
    assert reply.answer is not None and reply.answer.matched
    assert "Sources:" in reply.text and "https://www.lumc.nl/" in reply.text and not reply.exit


def test_session_commands(bot: Advisor) -> None:
    session = Session(bot)
    assert "/topics" in session.handle("/help").text
    topics = session.handle("/topics").text
    assert "eligibility" in topics and "lumc" in topics and "e.g." in topics
    assert "What were the call 1 PhD dates?" in session.handle("/topics eligibility").text
    assert "No topic" in session.handle("/topics nonsense").text
    sources = session.handle("/sources").text
    assert "https://cordis.europa.eu/project/id/707404/reporting" in sources and "2022" in sources
    assert "Unknown command" in session.handle("/frobnicate").text
    assert session.handle("/quit").exit and session.handle("/exit").exit


def test_session_why_explains_last_answer(bot: Advisor) -> None:
    session = Session(bot)
    assert "ask a question first" in session.handle("/why").text
    session.handle("lumc rankng")
    why = session.handle("/why").text
    assert "lumc.ranking" in why and "Runner-up:" in why and "rankng -> ranking" in why and "score" in why


def test_session_reset_and_follow_up(bot: Advisor) -> None:
    session = Session(bot)
    session.handle("When did call 1 close?")
    assert "31 October 2018" in session.handle("and call 3?").text
    assert "forgotten" in session.handle("/reset").text
    assert session.conversation.history == []


def test_session_welcome_says_what_it_knows(bot: Advisor) -> None:
    text = Session(bot).welcome()
    assert "LEaDing Fellows" in text and "/help" in text and "/quit" in text and "?" in text


def test_session_blank_line_is_ignored(bot: Advisor) -> None:
    assert Session(bot).handle("   ").text == ""


def test_why_after_the_eligibility_check_shows_the_facts_understood(bot: Advisor) -> None:
    session = Session(bot)
    session.handle("Am I eligible for call 2? PhD in March 2015")
    text = session.handle("/why").text
    assert "eligibility check" in text and "Call 2; PhD March 2015" in text


def test_command_output_keeps_its_lines_when_wrapped(bot: Advisor) -> None:
    session = Session(bot, width=79)
    session.handle("How many ERC projects has LUMC hosted?")
    lines = session.handle("/why").text.splitlines()
    assert lines[0].startswith("Question as understood: ") and lines[1].startswith("Terms: ")
    assert any(line.startswith("Chosen: ") for line in lines) and lines[-1].startswith("Outcome: ")
