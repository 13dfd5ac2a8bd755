"""Normalisation: the same text in different clothes becomes the same tokens."""

from __future__ import annotations

import pytest

from advisor.normalize import MAX_QUERY_CHARS, TextAnalyzer, fold, normalize, stem, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Skłodowska-Curie", "sklodowska curie"),
        ("  LUMC’s   RANKING?! ", "lumc ranking"),
        ("~2.000 publications", "2000 publications"),
        ("2,000", "2000"),
        ("score of 1.5", "score of 1.5"),
        ("Horizon2020", "horizon2020"),
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("Café São Paulo", "cafe sao paulo"),
        ("", ""),
        ("!!!", ""),
    ],
)
def test_normalize_folds_case_accents_punctuation_and_numbers(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_fold_is_idempotent() -> None:
    once = fold("Ærø Straße Ĳ")
    assert fold(once) == once


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (["evaluate", "evaluated", "evaluating", "evaluates"], True),
        (["project", "projects"], True),
        (["universities", "university"], True),
        (["rank", "ranked", "ranking"], True),
        (["close", "closed", "closing"], True),
        (["apply", "applied", "applies"], True),
        (["study", "studied", "studies"], True),
        (["cat", "dog"], False),
        # A research field is not the act its -ing names: "ageing" is not a person's "age".
        (["ageing", "age"], False),
        (["aging", "ages"], False),
    ],
)
def test_stem_maps_inflections_together(words: list[str], same: bool) -> None:
    assert (len({stem(w) for w in words}) == 1) is same


def test_analyzer_applies_synonym_phrases_longest_first() -> None:
    analyzer = TextAnalyzer([("lumc", ["leiden university medical center"]), ("leidenuniv", ["leiden university"])])
    assert analyzer.analyze("Leiden University Medical Center and Leiden University").terms == ("lumc", "leidenuniv")


def test_analyzer_corrects_typos_only_towards_its_vocabulary() -> None:
    # The vocabulary holds words as written and stemmed, as the matcher builds it.
    analyzer = TextAnalyzer(vocabulary=TextAnalyzer().surface_tokens("ranking research profile"))
    analysis = analyzer.analyze("reserch rankng profles")
    assert analysis.terms == (stem("research"), stem("ranking"), stem("profile"))
    assert ("reserch", "research") in analysis.corrections
    # Short words and words far from the vocabulary stay as they are.
    assert analyzer.analyze("cook zebra").terms == ("cook", "zebra")
    assert analyzer.analyze("cook zebra").corrections == ()


def test_a_clipped_word_is_the_one_vocabulary_word_it_begins() -> None:
    analyzer = TextAnalyzer(vocabulary=TextAnalyzer().surface_tokens("nanotechnology biology biochemistry"))
    analysis = analyzer.analyze("nanotech")
    assert analysis.terms == (stem("nanotechnology"),)
    assert analysis.corrections == (("nanotech", "nanotechnology"),)
    # The start of two different words, or too short a start, is left as it is.
    assert analyzer.analyze("biochem biolo").terms == (stem("biochemistry"), "biolo")
    assert analyzer.analyze("bioch").terms == ("bioch",)
    assert analyzer.analyze("bio").terms == ("bio",)


def test_analyzer_drops_stop_words_from_terms_but_keeps_tokens() -> None:
    analysis = TextAnalyzer().analyze("Is it the ranking of it?")
    assert analysis.terms == (stem("ranking"),)
    assert "is" in analysis.tokens


@pytest.mark.parametrize("hedge", ["exact", "actual", "precise", "finally", "eventually", "usually"])
def test_a_word_that_only_says_how_precisely_is_no_subject(hedge: str) -> None:
    # "the actual point of the programme" asks for its point, as "the exact date" asks for the date.
    # So do "finally" and "eventually" say when in a story's order: "how many were finally selected?".
    terms = TextAnalyzer().analyze(f"What was the {hedge} point of it?").terms
    assert stem("point") in terms and stem(hedge) not in terms and hedge not in terms


def test_analyzer_cuts_very_long_input() -> None:
    analysis = TextAnalyzer().analyze("word " * MAX_QUERY_CHARS)
    assert len(analysis.normalized) <= MAX_QUERY_CHARS


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        # Coordinated ordinals share the noun given once.
        ("the first and the last call", ("call1", "call3")),
        ("first or second round deadline", ("call1", "call2", "deadline")),
        ("calls 1 and 2", ("call1", "call2")),
        # Years are not call numbers.
        ("a PhD in 2016 and 2017", ("phd", "2016", "2017")),
        # An ordinal without a noun after it takes one of the message that forms a phrase with it, and
        # that noun is then part of what the ordinals name.
        ("Which call had more places, the second or the third?", ("which", "plac", "call2", "call3")),
        # Not an ordinal of a call: it has a noun of its own, or the message has no such noun.
        ("the first year and the last call", ("first", "year", "call3")),
        ("which was the first?", ("which", "first")),
    ],
)
def test_ordinals_read_with_the_noun_they_stand_for(text: str, terms: tuple[str, ...]) -> None:
    calls = [
        (f"call{n}", [f"{word} call", f"{word} round", f"call {n}"])
        for n, word in ((1, "first"), (2, "second"), (3, "third"))
    ]
    analyzer = TextAnalyzer([*calls, ("call3", ["last call"]), ("deadline", ["deadline"])])
    assert analyzer.analyze(text).terms == terms


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # An ordinal number is one token ("3rd" is not "3" and "rd").
        ("ranked 3rd in Europe", ["ranked", "3rd", "in", "europe"]),
        ("the 21st of May", ["the", "21st", "of", "may"]),
        # A question tag after a comma asks for agreement, not about anything.
        ("LUMC was ranked 3rd, right?", ["lumc", "was", "ranked", "3rd"]),
        ("Call 2 closed in January - isn't it?", ["call", "2", "closed", "in", "january"]),
        # Without the comma the word is the question's own.
        ("is that right?", ["is", "that", "right"]),
    ],
)
def test_tokens_of_ordinals_and_question_tags(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_a_typo_goes_to_the_word_with_a_letter_left_out_rather_than_one_changed() -> None:
    # "leter" is one edit from both; a letter left out is the commoner slip.
    analyzer = TextAnalyzer(vocabulary=TextAnalyzer().surface_tokens("later letter"))
    assert analyzer.analyze("leter").corrections == (("leter", "letter"),)
    assert analyzer.analyze("latr").corrections == (("latr", "later"),)


def test_two_letters_swapped_are_one_slip_and_win_a_tie() -> None:
    # "contarct" is one swap from "contract" and one letter more than "contact".
    analyzer = TextAnalyzer(vocabulary=TextAnalyzer().surface_tokens("contact contract"))
    assert analyzer.analyze("contarct").corrections == (("contarct", "contract"),)
    assert analyzer.analyze("contcat").corrections == (("contcat", "contact"),)


def test_a_known_word_with_an_ending_is_no_typo() -> None:
    analyzer = TextAnalyzer(vocabulary=TextAnalyzer().surface_tokens("fund founders running post positions"))
    assert analyzer.analyze("funders").corrections == ()  # "fund" + "ers", not "founders"
    assert analyzer.analyze("runing").corrections == (("runing", "running"),)  # "-ing" is no proof
    assert analyzer.analyze("postions").corrections == (("postions", "positions"),)


def test_apologies_around_a_question_are_no_part_of_its_subject() -> None:
    analyzer = TextAnalyzer({})
    plain = analyzer.analyze("did they use the same criteria at every stage?").terms
    sorry = analyzer.analyze("Sorry, this is maybe a dumb question, but did they use the same criteria at every stage?")
    assert sorry.terms == plain
    assert analyzer.analyze("Um, I hope this isnt a silly thing to ask, I'm a bit embarrassed").terms == (stem("ask"),)
    random = analyzer.analyze("Random question (maybe naive) but did they use the same criteria at every stage?")
    assert random.terms == plain
    # How a worry is put is not what it is about.
    assert analyzer.analyze("will that kill my application? or hurt it otherwise?").terms == (stem("application"),)


@pytest.mark.parametrize(
    ("form", "base"), [("made", "make"), ("sent", "send"), ("chosen", "choose"), ("submitted", "submit")]
)
def test_irregular_verb_forms_meet_their_base(form: str, base: str) -> None:
    assert stem(form) == stem(base)


def test_time_spent_keeps_its_own_meaning() -> None:
    # "time spent in the Netherlands" is the mobility rule's phrase, not "spend time at a partner".
    assert stem("spent") != stem("spend")


@pytest.mark.parametrize("pronoun", ["everyone", "everybody", "anybody", "someone", "somebody", "everything"])
def test_indefinite_pronouns_say_nothing_about_the_subject(pronoun: str) -> None:
    analyzer = TextAnalyzer({})
    assert (
        analyzer.analyze(f"what is this letter {pronoun} mentions?").terms
        == analyzer.analyze("what is this letter mentions?").terms
    )


def test_an_acknowledgement_before_a_follow_up_is_no_subject() -> None:
    assert TextAnalyzer().analyze("great, so where do I send it?").terms == (stem("where"), stem("send"))
    assert TextAnalyzer().analyze("cool, and the salary?").terms == (stem("salary"),)


def test_whose_side_is_no_subject() -> None:
    assert TextAnalyzer().analyze("What does the host side have to provide?").terms == (
        "what",
        stem("host"),
        stem("provide"),
    )


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("the November 2017 call", ("call2",)),
        ("how many places in the round that opened in nov 2017?", ("how", "many", "plac", "call2")),
        ("the intake closing on 31 October 2018", ("call3",)),
        # A month with no call's noun beside it is a date; a call named by its number keeps it.
        ("my PhD was in November 2017", ("phd", "november", "2017")),
        ("call 1 that opened in nov 2017", ("call1", "open", "nov", "2017")),
        # A month no call was open in names none.
        ("the round of May 2018", ("round", "2018")),
        # A season names the one call open in one of its months.
        ("the spring 2017 round", ("call1",)),
        ("for the autumn 2018 intake", ("call3",)),
        ("the call in the fall of 2018", ("call3",)),
        # A year before the month is left to the synonym table (none here).
        ("the 2017 november call", ("2017", "november", "call")),
        ("the winter 2018 round", ("call2",)),
        # Winter 2017 held two calls' months (February, December), summer 2017 none: neither names a call.
        ("the winter 2017 round", ("winter", "2017", "round")),
        ("the summer 2017 round", ("summer", "2017", "round")),
        ("my PhD was in spring 2017", ("phd", stem("spring"), "2017")),
        # A call named by its ordinal is not named again by the date after it.
        ("the last call, the autumn 2018 one", ("last", "call", "autumn", "2018")),
        # Without a year, a month or season that one call alone was open in names it ...
        ("the round that closes in January", ("call2",)),
        ("the spring round", ("call1",)),
        ("the October intake", ("call3",)),
        # ... but not one two calls were open in, one a year given contradicts, or one far from the noun.
        ("the autumn round", ("autumn", "round")),
        ("the call in January 2019", ("call", "january", "2019")),
        ("the 2018 round closed on 31 December", ("2018", "round", "clos", "31", "december")),
        ("my PhD in January, can I apply to the round?", ("phd", "january", "apply", "round")),
        # "fall" after a year is the verb.
        ("Did calls in 2017 fall under the new rules?", ("call", "2017", "fall", "under", "new", "rul")),
    ],
)
def test_a_call_named_by_a_month_it_was_open_in_reads_as_that_call(text: str, terms: tuple[str, ...]) -> None:
    calls = [("call1", ["call 1"]), ("phd", ["phd"])]
    dated = {
        (2017, 2): {"call1"},
        (2017, 3): {"call1"},
        (2017, 11): {"call2"},
        (2017, 12): {"call2"},
        (2018, 1): {"call2"},
        (2018, 10): {"call3"},
    }
    analyzer = TextAnalyzer(calls, call_months=dated)
    assert analyzer.analyze(text).terms == terms


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("what date did they assume, i.e. when", ["what", "date", "did", "they", "assume", "when"]),
        ("a form, e.g. an online one", ["a", "form", "an", "online", "one"]),
        ("PhD 2015 i. e. before", ["phd", "2015", "before"]),
        ("e. g. the salary", ["the", "salary"]),
        ("I.E. this", ["this"]),
        ("the site.edu page", ["the", "site", "edu", "page"]),  # not an abbreviation: kept
    ],
)
def test_ie_and_eg_leave_no_letters_behind(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_a_month_two_calls_shared_names_neither_even_without_its_year() -> None:
    shared = {(2017, 1): {"call1", "call2"}, (2018, 1): {"call3"}, (2018, 3): {"call3"}}
    analyzer = TextAnalyzer(call_months=shared)
    assert analyzer.analyze("the January round").terms == ("january", "round")
    assert analyzer.analyze("the round that opened in January 2017").terms == ("round", "open", "january", "2017")
    assert analyzer.analyze("the March round").terms == ("call3",)


def test_found_is_the_past_of_find_not_founded() -> None:
    analyzer = TextAnalyzer([("founded", ["founded", "established"])])
    assert analyzer.analyze("A listing I found says so").terms == ("list", "find")
    assert analyzer.analyze("When was it established?").terms == ("when", "founded")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("is 55k gross", ["is", "55000", "gross"]),
        ("40 to 55 thousand", ["40000", "to", "55000"]),
        ("40-55k a year", ["40000", "55000", "a", "year"]),
        ("EUR 40,000", ["eur", "40000"]),
        ("a thousand thanks", ["a", "thousand", "thanks"]),  # no number: a word like any other
    ],
)
def test_amounts_in_thousands_read_as_the_answers_write_them(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize(
    "text",
    [
        "idk, what was the salary? lmk asap",
        "oh wow, fwiw what was the salary, etc",
        "oops, what was the salary?",
        "what was the salary wrt tax? ty",
        "wat abt the salary",
    ],
)
def test_chat_abbreviations_are_no_subject(text: str) -> None:
    # "wrt" had been corrected to "write"; the rest were words no entry knows, counted against every entry.
    analyzer = TextAnalyzer([("salary", ["salary"])], ["salary", "tax", "write"])
    terms = analyzer.analyze(text).terms
    assert "salary" in terms and set(terms) <= {"what", "salary", "tax"}


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Quick question: what was the salary?", ["what", "was", "the", "salary"]),
        (
            "sorry if it is rude question, but when did call 2 close",
            ["sorry", "if", "it", "is", "but", "when", "did", "call", "2", "close"],
        ),
        ("Pardon the personal question but was there a pension", ["but", "was", "there", "a", "pension"]),
        ("I have a question about the interviews", ["i", "have", "about", "the", "interviews"]),
        ("my question is whether", ["is", "whether"]),
        ("Question: when was it", ["when", "was", "it"]),
        ("I have a few questions: salary?", ["i", "have", "salary"]),
        # A question that is what the message is about stays.
        (
            "did they ask personal questions, e.g. about family",
            ["did", "they", "ask", "personal", "questions", "about", "family"],
        ),
        ("follow-up questions, after the interview", ["follow", "up", "questions", "after", "the", "interview"]),
        ("was the interview question, if any, hard", ["was", "the", "interview", "question", "if", "any", "hard"]),
        ("my question was answered", ["my", "question", "was", "answered"]),
        ("Who can I ask questions?", ["who", "can", "i", "ask", "questions"]),
        ("who do I send my questions to", ["who", "do", "i", "send", "my", "questions", "to"]),
        (
            "my research question, was it mine to choose",
            ["my", "research", "question", "was", "it", "mine", "to", "choose"],
        ),
        ("the questions at the interview", ["the", "questions", "at", "the", "interview"]),
        (
            "contact with questions about the application",
            ["contact", "with", "questions", "about", "the", "application"],
        ),
    ],
)
def test_a_question_announced_as_one_is_no_word_of_it(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


def test_two_letters_of_a_short_stop_word_swapped_are_that_word() -> None:
    # "teh" counted against every entry; "erc" and other short words of the vocabulary stay out of reach.
    analyzer = TextAnalyzer(vocabulary=["the", "and", "salary", "erc"])
    assert analyzer.analyze("what is teh salary adn").terms == ("what", "salary")
    assert analyzer.analyze("ecr salary").corrections == ()


def test_vs_joins_like_and() -> None:
    # "vs" had been a word no entry knows, counting against every one.
    analyzer = TextAnalyzer([("call1", ["call 1"]), ("call2", ["call 2"])])
    assert analyzer.analyze("places in call 1 vs call 2").terms == analyzer.analyze("places in call 1 and call 2").terms


def test_a_contraction_without_its_apostrophe_is_a_stop_word_as_with_it() -> None:
    # "don't" leaves "don" and "t", both stop words; "dont" had been a word that only a few examples held.
    analyzer = TextAnalyzer([], ["prepare", "dont"])
    assert analyzer.analyze("I dont want to prepare").terms == analyzer.analyze("I don't want to prepare").terms
