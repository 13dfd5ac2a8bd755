"""What the advisor says, pinned whole: a change to the logic that changes any answer, score or verdict text
fails here, and the diff shows what changed.

The cases are below; what they gave when last accepted is in tests/data/golden.json. After a change that
is meant to change answers, look at the diff of a regenerated file before committing it:

    python tests/test_golden.py --update && git diff tests/data/golden.json

The zoo cases run on the small inline knowledge base (tests/kb_helpers.py); the eligibility cases on the
bundled one, whose rules they exercise (the rules, not the wording of its entries, decide those texts).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kb_helpers import write_zoo

from advisor import Advisor, Answer
from advisor.eligibility import RULES, check_mobility, check_phd, extract_facts

GOLDEN = Path(__file__).resolve().parent / "data" / "golden.json"

ZOO_QUESTIONS = [
    "What colour are the penguins?",
    "penguins",
    "penguin",
    "what do pengiun eat?",
    "Are the penguins black?",
    "How many lions does LUMC have?",
    "How many lions does Erasmus MC have?",
    "lions",
    "How many elephants does Erasmus MC have?",
    "Erasmus MC elephants?",
    "elephants at Erasmus MC and LUMC",
    "What is the lion count at Erasmus MC?",
    "Tell me about Erasmus MC",
    "Which zoos take part?",
    "When did call 1 close?",
    "When did the first call close?",
    "When did call two close?",
    "call 3 deadline",
    "What were the call deadlines?",
    "When were the calls?",
    "How many places did call 2 have?",
    "How many places?",
    "places",
    "grey cat colour",
    "What colour are the cats?",
    "zebra stripe count",
    "giraffe neck length",
    "Where can I park my car?",
    "parking",
    "Am I eligible for a zookeeper grant?",
    "How tall is the Eiffel tower?",
    "Explain quantum computing",
    "What is 17 times 23?",
    "When did call 2 close? How many places did it have?",
    "What colour are the penguins? What do the penguins eat?",
    "What colour are the penguins? Where can I park my car?",
    "I visited the zoo last week with my children. What do the penguins eat?",
    "I like lions. I like elephants.",
    "How many places did call 1 have, and when did it close?",
    "What colour are the penguins? I like them. What do the penguins eat?",
    "When did call 2 close? What colour are the penguins?",
    "How many elephants does Erasmus MC have? And how many lions does it have? What do the penguins eat?",
    "Where can I park my car? What does it cost? What colour are the penguins?",
    "I have a car. Where can I park it?",
    "How many elephants do Erasmus MC and Leiden University have?",
    "lemur tail length",
    "hello",
    "",
]

ZOO_CONVERSATIONS = [
    ["When did call 1 close?", "and call 3?", "what about the second?", "and 1?"],
    ["How many lions does LUMC have?", "and Erasmus MC?", "what about LUMC?"],
    ["How many elephants does LUMC keep?", "and Erasmus MC?"],
    ["When did call 2 close?", "How many places did it have?", "and call 1?"],
    ["What do the penguins eat?", "fish?", "white?"],
    ["grey cat colour", "2", "1"],
    ["grey cat colour", "3", "What colour are the penguins?", "1"],
    ["Which zoos take part?", "Do they keep elephants at LUMC?"],
    ["Which zoos take part?", "Do they have lions at LUMC?"],
    ["When did call 2 close?", "and how many places for the lions?"],
    ["When did call 1 close?", "thanks", "and call 2?"],
    ["When did call 1 close?", "Explain quantum computing", "and call 2?"],
    ["and call 3?", "How many places did it have?"],
    ["lemur tail length", "1", "lemur tail length", "2"],
    ["How many elephants does Erasmus MC have?", "and LUMC?"],
]

ELIGIBILITY_QUESTIONS = [
    "Am I eligible?",
    "Am I eligible for call 1?",
    "Am I eligible for call 2? I got my PhD in March 2015 and I have never been to the Netherlands.",
    "Am I eligible for call 1? I got my PhD on 05/05/2016 and I have never lived in the Netherlands.",
    "Am I eligible for call 1? I got my PhD on 10/11/2016 and I have never lived in the Netherlands.",
    "Am I eligible for call 1? PhD in 2012, no time in the Netherlands.",
    "Am I eligible for call 1? PhD in 2011, no time in the Netherlands, no extensions.",
    "Am I eligible for call 2? PhD on 1 March 2013, two children born after my PhD, 4 months of parental leave.",
    "Am I eligible for call 1? PhD 1 June 2011, I have twins and took 9 months of parental leave, never in NL.",
    "Am I eligible for call 2? My PhD defence is in May 2018 and I have not lived in the Netherlands.",
    "Am I eligible for call 2? My PhD defence is in August 2018.",
    "Am I eligible for call 1? PhD 2014, I have lived in Amsterdam for 8 months.",
    "Am I eligible for call 1? PhD 2014, I have lived in Utrecht for 13 months.",
    "Am I eligible for call 1? PhD 2014, I lived in the Netherlands for 12 months.",
    "Am I eligible for call 1? PhD 2014, I lived in Leiden from January 2015 to March 2016.",
    "Am I eligible for call 2? PhD 2014, I worked in Delft from 1 March 2016 to 1 September 2016.",
    "Am I eligible for either call? PhD 2016, never in the Netherlands.",
    "Am I eligible for both calls? PhD in 2013, one year in Rotterdam.",
    "Am I eligible for call 3?",
    "Am I eligible for call 1? PhD 2010, 3 years of medical specialist training, 10 months military service, "
    "no time in NL.",
    "Am I eligible for call 2? PhD 2012, 2 years of medical-specialist training, never lived in the Netherlands.",
    "Would I have been eligible? I'm from India, PhD 2015, never lived in Holland.",
    "Am I eligible for a Veni grant?",
    "Who was eligible to apply?",
    "I've lived in Holland for 3 years, am I eligible?",
]

ELIGIBILITY_CONVERSATIONS = [
    ["Am I eligible?", "call 1", "March 2012", "one child", "about 6 months"],
    ["Am I eligible for call 2?", "2015", "never", "and call 1?"],
    ["I got my PhD in 2014 and I lived in Leiden for 5 months.", "Am I eligible for call 1?", "start afresh"],
    ["Am I eligible?", "both", "June 2016", "What is the salary?", "How many fellows were there?"],
    ["Am I eligible for call 1?", "stop", "am I eligible?"],
    ["Am I eligible for call 1?", "hmm", "I visited a few times", "2013", "no", "10 months"],
    ["Am I eligible for call 2?", "my PhD will be in April 2018", "none", "I have never lived there"],
]

#: Asked of the zoo with the rule sources added: the check runs, but no entry speaks of eligibility.
RULES_ONLY_QUESTIONS = [
    "Am I eligible?",
    "Am I eligible for call 1? PhD 2014",
    "Am I eligible for call 2? PhD in March 2015, never lived in the Netherlands.",
    "Am I eligible for call 1? PhD 2011",
]

FACT_MESSAGES = [
    "I got my PhD in 2014",
    "PhD on 3 March 2015, 6 months in the Netherlands",
    "my PhD from 2010 to 2014, 2 children, 8 months parental leave",
    "military service, 10 months",
    "I did 2 years of medical specialist training",
    "I have no children",
    "twins, born before my PhD",
    "I lived in Utrecht from 2014 to 2016",
    "I have been in the Netherlands since May 2017",
    "call 1 and 2",
    "the second call",
    "I defended my thesis on 10/11/2016",
    "I expect to defend in June",
    "18 months in Holland, one child, 3 months paternity leave, no military service",
    "I lived in Leiden from January 2015 to March 2015 and in Utrecht from June 2016 to August 2016",
    "I was in Delft from 1 October 2014 to 30 September 2015",
    "I was in Delft from 1 September 2014 to 1 October 2014",
    "I worked in Rotterdam from 1 October 2017 to 1 December 2017",
    "in Leiden from 2 July 2015 to 1 July 2016, and in Delft from March 2017 to June 2018",
    "my PhD was on 31 March 2017",
    "my PhD was on 1 April 2017",
    "my PhD was on 10 January 2018",
    "my PhD will be on 11 January 2018",
    "my PhD was on 1 October 2012, no extensions",
    "my PhD was on 1 October 2012",
    "PhD on 2 October 2012",
    "PhD on 30 September 2017",
    "PhD on 1 July 2013",
    "PhD in 2012, one child",
    "PhD in September 2012, 12 months in the Netherlands",
    "PhD in 2015, 12.5 months in the Netherlands",
    "PhD in 2015, 11 months in the Netherlands",
]

#: Facts said over several turns, merged as the check merges them: (what was said first, then next, and
#: what the check had asked when "next" was said).
MERGED_FACTS = [
    ("I defend in June", "2017", "phd_year"),
    ("I defend in June", "March 2016", "phd"),
    ("PhD 2014, 5 months in the Netherlands", "I lived in Leiden from January 2016 to March 2016", "nl"),
    ("I lived in Leiden from January 2016 to March 2016", "8 months in the Netherlands", "nl"),
    ("I have never lived in the Netherlands", "3 months in Holland", "nl"),
    ("one child", "no children", "extensions"),
    ("call 1", "call 2", "call"),
    ("PhD 2013", "PhD on 5 May 2013", "phd"),
]


def answer_record(answer: Answer, bot: Advisor | None = None) -> dict[str, Any]:
    """An answer as JSON, with why it was given. With `bot`, the answers of its entries are replaced by
    the entry ids: what is pinned is how the answer was put together, not the entries' wording."""
    why = answer.explanation
    record: dict[str, Any] = answer.to_dict()
    if bot is not None:
        for entry in bot.knowledge.entries:
            record["text"] = record["text"].replace(entry.answer, f"<{entry.id}>")
        record.pop("suggestions")  # the entries' related questions: content
        record.pop("parts", None)
    record["sources"] = [source.id for source in answer.sources]  # the sources' own fields are content
    for part in record.get("parts", ()):
        part["sources"] = [source["id"] for source in part["sources"]]
    record["reason"] = why.reason if why is not None else None
    if why is not None:
        record["terms"] = list(why.terms)
        record["corrections"] = [list(c) for c in why.corrections]
        for name in ("best", "runner_up"):
            match = getattr(why, name)
            record[name] = None if match is None else [match.entry_id, match.score, list(match.matched_terms)]
    return record


def zoo_ranked(bot: Advisor) -> dict[str, Any]:
    return {
        q: [
            [m.entry_id, m.score, list(m.matched_terms), m.best_question]
            for m in bot.matcher.rank(bot.matcher.analyze(q))
        ]
        for q in ZOO_QUESTIONS
    }


def conversation_records(
    bot: Advisor, conversations: list[list[str]], *, bundled: bool = False
) -> list[list[dict[str, Any]]]:
    records = []
    for turns in conversations:
        chat = bot.conversation()
        records.append([{"q": turn, **answer_record(chat.ask(turn), bot if bundled else None)} for turn in turns])
    return records


#: The day the fact records are read on: a stay that goes on ("since May 2017") ends "now", whose date is in
#: the record, so with the real today the records changed every day and the test failed after midnight.
FACTS_TODAY = date(2026, 12, 1)


def fact_records() -> dict[str, Any]:
    facts = {}
    for message in FACT_MESSAGES:
        found = extract_facts(message, today=FACTS_TODAY)
        checks = {
            f"call{call}": [
                list(check_phd(found._replace(calls=(call,)), rules)) if found.phd is not None else None,
                list(check_mobility(found, rules)),
            ]
            for call, rules in RULES.items()
        }
        facts[message] = {"summary": found.summary(), "facts": repr(found), "checks": checks}
    for first, then, asked in MERGED_FACTS:
        merged = extract_facts(first, today=FACTS_TODAY).merged(extract_facts(then, asked=asked, today=FACTS_TODAY))
        facts[f"{first} + {then}"] = {"summary": merged.summary(), "facts": repr(merged)}
    return facts


def rules_only_folder(folder: Path) -> Path:
    """The zoo, plus the bundled eligibility rules and their sources (so the check runs) but no entry about them."""
    bundled = Advisor()
    rules = Path(bundled.knowledge.location) / "eligibility-rules.yaml"
    cited = set(re.findall(r"sources: \[([^]]*)\]", rules.read_text(encoding="utf-8")))
    wanted = {i.strip() for ids in cited for i in ids.split(",")}
    extra = [source.to_dict() for source in bundled.knowledge.sources if source.id in wanted]
    write_zoo(folder, sources=extra)
    shutil.copy(rules, folder / "eligibility-rules.yaml")
    return folder


#: Each part of the golden file and how to work it out: (zoo folder, rules-only folder, bundled advisor) -> JSON.
PARTS: dict[str, Callable[[Path, Path, Advisor], Any]] = {
    "zoo.ranked": lambda zoo, _, __: zoo_ranked(Advisor(zoo)),
    "zoo.asked": lambda zoo, _, __: {q: answer_record(Advisor(zoo).ask(q)) for q in ZOO_QUESTIONS},
    "zoo.conversations": lambda zoo, _, __: conversation_records(Advisor(zoo), ZOO_CONVERSATIONS),
    "rules_only.asked": lambda _, rules, __: {q: answer_record(Advisor(rules).ask(q)) for q in RULES_ONLY_QUESTIONS},
    "eligibility.asked": lambda _, __, bot: {q: answer_record(bot.ask(q), bot) for q in ELIGIBILITY_QUESTIONS},
    "eligibility.conversations": lambda _, __, bot: conversation_records(bot, ELIGIBILITY_CONVERSATIONS, bundled=True),
    "eligibility.facts": lambda _, __, ___: fact_records(),
}


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("golden")
    return write_zoo(root / "zoo"), rules_only_folder(root / "rules-only")


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("part", list(PARTS))
def test_answers_are_as_accepted(folders: tuple[Path, Path], bot: Advisor, golden: dict[str, Any], part: str) -> None:
    # Each part is worked out in its own test, so that a mutation test run (benchmarks/mutation.py) knows
    # which tests reach which function.
    got, want = as_json(PARTS[part](*folders, bot)), golden[part]
    if isinstance(want, dict):
        assert list(got) == list(want), "the cases changed: regenerate (see the module's docstring)"
        for case in want:
            assert got[case] == want[case], case
    else:
        assert len(got) == len(want), "the cases changed: regenerate (see the module's docstring)"
        for number, (g, w) in enumerate(zip(got, want, strict=True)):
            assert g == w, f"conversation {number}: {[t['q'] for t in w]}"


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(__doc__)
    with tempfile.TemporaryDirectory() as folder:
        zoo, rules = write_zoo(Path(folder) / "zoo"), rules_only_folder(Path(folder) / "rules-only")
        bundled = Advisor()
        data = {part: as_json(work(zoo, rules, bundled)) for part, work in PARTS.items()}
    GOLDEN.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
