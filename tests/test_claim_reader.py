"""The claim reader, number forms and the SLOT RULE (issue 20): one hand-written case per shape and per
piece of the rule, each the false verdict it prevents. Model-free, but for the last tests, which run the
shipped judge on the shapes end to end."""

from __future__ import annotations

import pytest

from sourcecheck.judge.quantities import day_dates, in_evidence_form, quantities
from sourcecheck.judge.reader import first_person, read, split_frame, surname
from sourcecheck.judge.slots import read_slots


def slots(part: str, evidence: str):
    return read_slots(part, evidence, evidence)


# -- number and day forms ----------------------------------------------------------------------------

def test_number_words_digits_and_separators_are_one_value() -> None:
    values = [(q.value, q.hedge) for q in quantities("twenty-five thousand men, 25,000 rifles, some five thousand "
                                                     "sailors, more than 1,500 dead, a hundred and five guns")]
    assert values == [(25000, ""), (25000, ""), (5000, "some"), (1500, "more than"), (105, "")]


def test_ordinals_and_day_orders_are_one_day() -> None:
    assert [(d.day, d.month) for d in day_dates("October 25th, 25 October, the 25th of October")] == [(25, 10)] * 3
    assert in_evidence_form("On October 25th twenty-five thousand rose", "On 25 October 25,000 rose") == \
        "On 25 October 25,000 rose"


def test_a_hedge_admits_the_values_it_leaves_open() -> None:
    about, more, nearly = quantities("about 5,000 and more than 5,000 and nearly 5,000")
    assert about.admits(4800) and not about.admits(25000)
    assert more.admits(6000) and not more.admits(4000)
    assert nearly.admits(4900) and not nearly.admits(5100)


# -- the SLOT RULE --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("part", "evidence", "kind"), [
    ("Reed arrived in Petrograd in 1915", "Reed arrived in Petrograd in September 1917.", "year"),
    ("Some five thousand sailors came from Kronstadt", "Twenty-five thousand sailors came from Kronstadt.", "number"),
    ("The Congress opened on 3 November", "The Congress opened on 25 October.", "day"),
    ("The Congress opened in March", "The Congress opened in June 1917.", "month"),
    ("The portrait was painted by Repin", "Serov painted the portrait of the tsar.", "name"),
    ("Reed reached Moscow in November", "Reed reached Petrograd in November.", "place"),
    ("The garrison did not resist the insurgents", "The garrison resisted the insurgents.", "negation"),
])
def test_a_swapped_value_is_a_conflict_naming_both_values(part: str, evidence: str, kind: str) -> None:
    reading = slots(part, evidence)
    assert reading.conflict is not None and reading.conflict.kind == kind, reading
    assert reading.note().startswith("\u2717 ") and "the evidence says" in reading.note()


@pytest.mark.parametrize(("part", "evidence"), [
    ("Reed arrived in Petrograd in 1917", "Reed arrived in Petrograd in September 1917."),
    ("On October 25th the Congress opened", "The Congress opened on 25 October."),
    ("About 5,000 sailors came", "Some 4,800 sailors came."),
    ("Trotzky spoke at the Soviet", "Trotsky spoke at the Soviet."),  # a transliteration is the same person
])
def test_the_same_value_in_another_form_agrees(part: str, evidence: str) -> None:
    assert slots(part, evidence) == type(slots(part, evidence))()


def test_a_julian_shift_is_no_conflict() -> None:
    """25 October (O.S.) is 7 November (N.S.): the dates check reads calendars, the slot rule does not."""
    assert slots("The Congress opened on 7 November", "The Congress opened on 25 October (O.S.).").conflict is None


def test_a_value_in_an_unaligned_sentence_is_no_conflict() -> None:
    """The aligned sentence must share the rest of the part: another sentence's year is about something else."""
    assert slots("Reed arrived in Petrograd in 1915", "In 1917 the harvest failed across the Volga.").conflict is None


def test_a_count_conflicts_only_with_a_count_of_the_same_thing() -> None:
    assert slots("5,000 sailors came from Kronstadt with the fleet", "12 ships came from Kronstadt with the "
                 "fleet.").conflict is None


def test_another_name_elsewhere_in_the_sentence_is_no_swap() -> None:
    """"fled Petrograd" / "fled the city ... the American embassy": a paraphrased place, not a swap."""
    assert slots("Kerensky fled Petrograd in a car", "Kerensky fled the city in a car borrowed from the American "
                 "embassy.").conflict is None


def test_a_value_the_evidence_lacks_leaves_the_slot_open() -> None:
    reading = slots("Reed arrived in Petrograd in 1915", "Reed arrived in Petrograd by train.")
    assert reading.conflict is None and reading.missing == ("year 1915",)


def test_hedged_numbers_agree_where_their_ranges_meet() -> None:
    """"over 500,000" against itself was a conflict when a hedge was read on one side only."""
    over, about, some, exact = quantities("over 500,000, about 520,000, some five thousand, twenty-five thousand")
    assert over.agrees(over) and over.agrees(about) and not some.agrees(exact)
    assert slots("On 17 July over 500,000 people marched in Petrograd",
                 "On 17 July, over 500,000 people marched in Petrograd.").conflict is None


def test_the_parts_own_sentence_outranks_a_value_elsewhere() -> None:
    """A year found in another sentence used to agree: "By 1920 ... 62%" against "By 1921 ... 62%"."""
    evidence = "By 1921 cultivated land had shrunk to 62% of the pre-war area. The famine of 1920 followed."
    reading = read_slots("By 1920 cultivated land had shrunk to 62% of the pre-war area",
                         "By 1921 cultivated land had shrunk to 62% of the pre-war area.", evidence)
    assert reading.conflict is not None and "1921" in reading.conflict.evidence_value
    # A claim joining two sentences takes each value from its own: no conflict.
    assert read_slots("In 1920 famine followed", "By 1921 cultivated land had shrunk.", evidence).conflict is None


def test_a_negation_of_a_word_the_part_lacks_is_no_conflict() -> None:
    """"they would not listen" denies nothing of the part cut from the same sentence."""
    sentence = "In vain he tried to argue, to explain; they would not listen."
    assert slots("In vain he tried to argue, to explain", sentence).conflict is None
    assert slots("for we were not foreigners, and the committee protected foreigners",
                 "for we were foreigners, and the committee protected foreigners.").conflict is not None


def test_a_value_the_part_states_itself_is_no_other_value() -> None:
    """The real example's claim 2: its "October" was read as swapped for the "February" it also names."""
    assert slots("The October Revolution followed and capitalized on the February Revolution earlier that year",
                 "It followed and capitalized on the February Revolution of the same year.").conflict is None
    assert slots("On 24 October the cadets left and on 25 October the sailors came",
                 "On 24 October the cadets left and on 27 October the sailors came.").conflict is not None


def test_an_abbreviated_name_is_the_same_name() -> None:
    """"Saint Petersburg" against "St. Petersburg" read as a swapped name."""
    sentence = "It took place through an armed insurrection in Petrograd (now St. Petersburg) in 1917."
    assert slots("It took place through an armed insurrection in Petrograd (now Saint Petersburg) in 1917",
                 sentence).conflict is None
    assert slots("It took place through an armed insurrection in Petrograd (now Saint Moscow) in 1917",
                 sentence.replace("St. Petersburg", "St. Vladimir")).conflict is not None


def test_a_denial_in_another_clause_is_no_negation_conflict() -> None:
    """"Kerensky was not arrested, but the ministers were arrested" denies nothing of "the ministers were
    arrested": the denying clause is not the part's own."""
    assert slots("The ministers were arrested and taken to the fortress",
                 "Kerensky was not arrested, but the ministers were arrested and taken to the fortress.").conflict is None
    assert slots("The garrison defended the government",
                 "The garrison did not, after all, defend the government.").conflict is not None


def test_negation_elsewhere_drops_only_clauses_denying_what_the_part_does_not_say() -> None:
    from sourcecheck.judge.slots import denial_elsewhere

    part = "Kerensky left the city by car to look for loyal troops"
    rest, gone = denial_elsewhere(part, "Kerensky was not among them: he had left the city by car to look for "
                                        "loyal troops.") or ("", "")
    assert gone == "Kerensky was not among them" and rest.startswith("he had left the city")
    assert denial_elsewhere("The garrison fought", "The garrison did not, as a whole, fight.") is None
    assert denial_elsewhere("The garrison did not fight", "Few soldiers fought: most were not there.") is None


# -- reporting frames and first person ---------------------------------------------------------------

@pytest.mark.parametrize(("claim", "speaker", "content"), [
    ("Trotsky later wrote that the garrison stayed in its barracks", "Trotsky", "The garrison stayed in its barracks"),
    ("According to Reed, the Red Guards held the bridges", "Reed", "The Red Guards held the bridges"),
    ("Reed reported that the cadets surrendered", "Reed", "The cadets surrendered"),
    ("In Reed's words, the city was calm", "Reed", "The city was calm"),
    ("Trotsky announced to the Petrograd Soviet that the government was no more", "Trotsky",
     "The government was no more"),
])
def test_a_reporting_frame_is_split_from_its_content(claim: str, speaker: str, content: str) -> None:
    frame = split_frame(claim)
    assert frame is not None and frame.speaker == speaker and frame.content == content


def test_no_frame_without_a_speaker() -> None:
    assert split_frame("It was said that the city was calm") is None
    assert split_frame("The garrison stayed in its barracks") is None


def test_a_frame_naming_someone_else_is_a_problem_of_its_own() -> None:
    reading = read("Lenin wrote that the garrison stayed in its barracks", ["The garrison stayed in its barracks."],
                   ["Trotsky, Leon"])
    assert reading.claim == "The garrison stayed in its barracks"
    assert "Lenin" in reading.speaker_problem and "Trotsky" in reading.speaker_problem
    named = read("Lenin wrote that the garrison stayed in its barracks",
                 ["Lenin wrote: the garrison stayed in its barracks."], ["Trotsky, Leon"])
    assert named.speaker_problem == ""  # a speaker the evidence names


def test_first_person_reads_as_the_cited_author() -> None:
    text, notes = first_person("I declared at the session that we had our detachments ready.", "Leon Trotsky")
    assert text.startswith("[Trotsky] declared") and "[Trotsky and his side] had" in text
    assert "\u201cI\u201d read as Trotsky" in notes
    assert first_person("Under Nicholas I the army grew.", "Leon Trotsky")[0] == "Under Nicholas I the army grew."
    assert surname("Trotsky, Leon") == surname("L. D. Trotsky") == "Trotsky"


# -- end to end, the shipped judge ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def judge():
    from sourcecheck.judge import get_judge

    return get_judge()


@pytest.mark.parametrize(("claim", "evidence"), [
    ("Reed arrived in Petrograd in 1915", "Reed arrived in Petrograd in September 1917."),
    ("The portrait was painted by Repin", "Serov painted the portrait of the tsar."),
])
def test_the_judge_calls_a_swap_contradicted(judge, claim: str, evidence: str) -> None:
    j = judge.judge(claim, evidence)
    assert j.verdict == "contradicted" and "the evidence says" in j.parts[0].note


def test_a_value_swapped_in_what_decomposition_drops_is_read_on_the_whole_claim(judge) -> None:
    """A month swapped inside a parenthesis, which the parts leave out, went unread: supported 0.99."""
    evidence = "It took place through an armed insurrection in Petrograd on 7 November (25 October, O.S.) 1917."
    j = judge.judge("It took place through an armed insurrection in Petrograd on 7 November (25 March, O.S.) 1917.",
                    evidence)
    assert j.verdict == "contradicted" and "March" in j.parts[0].note, [(p.text, p.verdict, p.note) for p in j.parts]


def test_i_after_a_sentence_end_or_a_comma_is_the_speaker() -> None:
    """"the Revolution! I returned" and "Deputies, I decree" were read as regnal numbers and left alone."""
    text, _ = first_person("Here was the Revolution! I returned to the palace.", "John Reed")
    assert "[Reed] returned" in text
    text, _ = first_person("Vested in me by the Soviet of Deputies, I decree:", "John Reed")
    assert "[Reed] decree" in text
    assert first_person("Tsar Nicholas I ruled.", "John Reed")[0] == "Tsar Nicholas I ruled."


def test_the_model_is_asked_again_without_a_denial_of_something_else(judge) -> None:
    """The model called "Kerensky left the city ... to look for loyal troops" contradicted (0.56) by a
    sentence whose only denial is that he was not among the arrested."""
    j = judge.judge("Kerensky left the city by car to look for loyal troops at the front.",
                    "Kerensky was not among them: he had left the city by car to look for loyal troops at the front.")
    assert j.verdict != "contradicted" and "about something else" in j.parts[0].note


def test_first_person_evidence_supports_the_framed_claim(judge) -> None:
    """Issue 20's case: "I declared at the session of the Petrograd Soviet" came back contradicted (0.62)."""
    quote = ("I declared at the session of the Petrograd Soviet that the Military Revolutionary Committee had "
             "taken power in the capital.")
    r = read("Trotsky announced to the Petrograd Soviet that the Military Revolutionary Committee had taken "
             "power in the capital", [quote], ["Trotsky, Leon"])
    j = judge.judge(r.claim, r.evidence)
    assert j.verdict == "supported", (j.verdict, j.support, j.contradiction)


def test_words_a_claim_quotes_count_as_found_in_the_evidence(judge) -> None:
    """A quoted phrase the evidence has as written is the source's words, not words left uncovered."""
    from sourcecheck.judge.reader import quoted_found

    claim = "Trotsky called the rising \u201ca conspiracy of the masses against the old order\u201d."
    evidence = "The rising, Trotsky wrote, was a conspiracy of the masses against the old order."
    assert quoted_found(claim, evidence) == [(claim.index("a conspiracy"), claim.index("\u201d."))]
    assert quoted_found(claim, "It was a plot of the masses.") == []  # a different wording is no quotation
    j = judge.judge(claim, evidence)
    # Without the rule the per-word model leaves "order" uncovered (measured: ['Trotsky', 'called', 'order']).
    assert not {"conspiracy", "masses", "old", "order"} & set(j.uncovered), j.uncovered
