"""The timeline draft: titles made from sentences, dates that are not events, and no empty timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.importer import import_source
from builder.importer.datefind import Timeline, draft_timeline
from builder.importer.readers import RawBlock
from builder.importer.report import NO_TIMELINE
from builder.importer.sections import Section


def timeline(text: str, title: str = "History") -> Timeline:
    return draft_timeline([Section(title, [RawBlock("text", text)])])


def titles(text: str) -> dict[str, str]:
    return {e.date: e.title for e in timeline(text).events}


def skipped(text: str, title: str = "History") -> list[tuple[str, str]]:
    return [(s.wording, s.reason) for s in timeline(text, title).skipped]


@pytest.mark.parametrize("sentence,date,title", [
    ("In July 1960 Moscow suddenly withdrew its advisers from China.", "1960-07",
     "Moscow suddenly withdrew its advisers from China"),
    ("Mara Vell walked to the harbour town in December 1949.", "1949-12", "Mara Vell walked to the harbour town"),
    ("By the late 1960s the two villages were quarrelling over the well.", "1965-1969",
     "Two villages were quarrelling over the well"),
    ("During the 1950s the town grew quickly.", "1950-1959", "Town grew quickly"),
    ("On Jan. 17, 1893 a gale put out every lamp on the north shore, and the keepers relit them.", "1893-01-17",
     "Gale put out every lamp"),
    ("About 2,000 weavers marched in 1968 to demand fair pay.", "1968", "2,000 weavers marched to demand fair pay"),
    ("Ironically the main cause was the death of the old king (1953).", "1953", "Death of the old king"),
    ("A proposal for a shared mill offended the farmers (1958).", "1958", "Proposal offended the farmers"),
    ("Since digging began in 2016, only local crews have worked on the dam.", "2016", "Digging began"),
    ("The guild honoured Ruth Kell, who opened the first school in 1921.", "1921", "Ruth Kell opened the first school"),
    ("In 1884, the council of Dunmore built a stone bridge over the river Tamm.", "1884",
     "Council of Dunmore built a stone bridge"),
    ("The village plans to plant a thousand trees by 2090.", "2090", "Target: Village plans to plant a thousand trees"),
])
def test_titles_from_sentences(sentence: str, date: str, title: str) -> None:
    assert titles(sentence) == {date: title}


def test_titles_are_short_and_never_end_on_a_function_word() -> None:
    events = timeline("In 1901 the old ferry carried more passengers across the wide grey estuary than ever before "
                      "in its long history.").events
    assert [e.title for e in events] == ["Old ferry carried more passengers"]


def test_pronoun_subject_takes_the_name_before_it() -> None:
    text = "Ada Brun sailed to Lisbon in 1901. She founded a trading house there in 1903."
    assert titles(text) == {"1901": "Ada Brun sailed to Lisbon", "1903": "Ada Brun founded a trading house"}


def test_pronoun_without_a_name_is_kept_and_reported(tmp_path: Path) -> None:
    events = timeline("It rained for forty days in 1907.").events
    assert [(e.title, e.pronoun) for e in events] == [("It rained for forty days", "It")]
    source = tmp_path / "rain.txt"
    source.write_text("Rain\n\nIt rained for forty days in 1907. The rivers rose over the fields in 1908.\n",
                      encoding="utf-8")
    import_source(source, tmp_path / "pack")
    report = (tmp_path / "pack" / "import-report.md").read_text(encoding="utf-8")
    assert "Titles whose subject is a pronoun (no name for it was found before it): say who or what:" in report
    assert "- 1907: \u201cIt rained for forty days\u201d (\u201cIt\u201d)" in report


def test_no_two_events_share_a_title() -> None:
    events = timeline("In 1920 the mill burned down. In 1935 the mill burned down again after a storm.").events
    assert [e.title for e in events] == ["Mill burned down", "Mill burned down again"] or \
        len({e.title.lower() for e in events}) == len(events)
    events = timeline("The mill burned down in 1920 after a storm. The mill burned down in 1935 after a fire.").events
    assert [e.title for e in events] == ["Mill burned down (storm)", "Mill burned down (fire)"]


def test_citations_stamps_pages_and_quantities_are_not_events() -> None:
    assert skipped("Smith, J.; Jones, K. (2009). A study of ponds.") == [
        ("2009", "in a citation or reference, not an event")]
    assert skipped("Pond Studies 23 (7): 1739-1752.") == [("1739-1752", "in a citation or reference, not an event")]
    assert skipped("^ a b Lee, T. (Nov 2008). Notes on ponds.") == [
        ("Nov 2008", "in a citation or reference, not an event")]
    assert skipped("March 3, 2013 -- Updated 0203 GMT (1003 HKT)") == [
        ("March 3, 2013", "a time stamp, byline or copyright line of the page, not an event"),
        ("1003", "a time stamp, byline or copyright line of the page, not an event")]
    assert skipped("\u00a9 2019 Pond News. All rights reserved.") == [
        ("2019", "a time stamp, byline or copyright line of the page, not an event")]
    assert skipped("The pond survey was printed on pages 1739-1752 of the book.") == [
        ("1739-1752", "a page range, not years")]
    assert skipped("Ring the office on 555 201 1999 for a visit to the pond.") == [
        ("1999", "part of a phone number")]
    assert skipped("The survey counted 1500 frogs, 2,000 newts and 88 percent of the reeds.") == [
        ("1500", "a number of things, not a year")]
    assert skipped("Winners of the Pond Cup 2011.") == [
        ("2011", "no clear event in the sentence to title it (a subject and a verb)")]
    assert skipped("Lee, T. (2009). Ponds.", "References") == [("2009", "in a reference list, not an event")]


def test_future_years_are_plans_or_left_off() -> None:
    assert titles("The town aims to close the quarry by 2095.") == {"2095": "Target: Town aims to close the quarry"}
    assert skipped("The quarry will look very different in 2095.") == [
        ("2095", "a year after the article was written, and the sentence is not about a plan")]


def test_the_future_is_counted_from_when_the_article_was_written() -> None:
    """A 2023 article's "in 2024" was its future, whatever today's date."""
    text = "She hopes to be elected again in 2024. The court fined her in 2021."
    timeline = draft_timeline([Section("Trial", [RawBlock("text", text)])], published=2023)
    assert [e.date for e in timeline.events] == ["2021"]
    assert [(s.wording, s.reason) for s in timeline.skipped] == [
        ("2024", "a year after the article was written, and the sentence is not about a plan")]
    planned = draft_timeline([Section("Plans", [RawBlock("text", "The city plans to open a park in 2024.")])],
                             published=2023)
    assert [e.title for e in planned.events] == ["Target: City plans to open a park"]


def test_decade_or_century_only_when_the_text_is_about_the_span() -> None:
    assert titles("During the 1950s the port economy grew fast.") == {"1950-1959": "Port economy grew fast"}
    assert titles("In the 19th century the canal carried coal to the city.") == {
        "1801-1900": "Canal carried coal to the city"}
    reason = "a decade or century that describes something, not a span the text is about"
    assert skipped("A 19th-century warehouse stands by the canal.") == [("19th-century", reason)]
    assert skipped("She drove a 1950s car to the canal.") == [("1950s", reason)]


def test_article_without_dates_drafts_no_timeline(tmp_path: Path) -> None:
    source = tmp_path / "ponds.txt"
    source.write_text("Ponds\n\nFrogs lay eggs in still water. Newts hunt small insects at night.\n", encoding="utf-8")
    result = import_source(source, tmp_path / "pack")
    pack = yaml.safe_load((tmp_path / "pack" / "pack.yaml").read_text(encoding="utf-8"))
    assert result.timeline.events == [] and "timeline" not in pack
    assert pack["contents"] == ["cover", "article", "glossary", "worksheet"]
    assert NO_TIMELINE == ("No dated events: the timeline is left out; add events under timeline: and timeline to "
                           "contents: to print one.")
    report = (tmp_path / "pack" / "import-report.md").read_text(encoding="utf-8")
    assert report.count(NO_TIMELINE) == 2  # in the to-do list and under the timeline heading


def test_a_heading_of_a_date_and_a_plain_word_names_no_event() -> None:
    """'October 22, 2019 report' is a page's dateline, not an event; 'Korean War (1950-53)' is one."""
    found = draft_timeline([Section("Korean War (1950-53)", [RawBlock("text", "Troops crossed the border.", "p1")]),
                            Section("October 22, 2019 report", [RawBlock("text", "A flint tool was found.", "p2")])])
    assert [(e.date, e.title) for e in found.events] == [("1950-1953", "Korean War")]
    assert [s.wording for s in found.skipped] == ["October 22, 2019"]


def test_a_title_cut_from_a_longer_phrase_is_marked() -> None:
    """Eight words of a longer phrase may stop mid-phrase: marked, so the report and pack.yaml ask to check it."""
    long = "In April 2018, local authorities decided to honor three African independence activists with streets."
    (event,) = timeline(long).events
    assert event.cut and len(event.title.split()) <= 8
    (short,) = timeline("The town council opened a new library in 1990.").events
    assert not short.cut


def test_a_linking_verb_keeps_what_completes_it() -> None:
    """'became part of ...': not cut before its preposition to 'became a major part'."""
    (event,) = timeline("In 1884 the small harbour town of Lome itself became a major part of the colony.").events
    assert event.cut


def test_a_passive_is_not_a_linking_verb() -> None:
    (event,) = timeline("In 2017 the old apartment on the top floor was valued at far less on its papers.").events
    assert event.title == "Old apartment was valued"


def test_titles_end_on_a_whole_phrase() -> None:
    """No title stops on a describing word, a second verb or a preposition; a bare verb whose object
    the sentence gives as a clause is no title."""
    assert titles("In April 2018, local authorities decided to honor three African postcolonial activists "
                  "with new street names.") == {"2018-04": "Local authorities decided to honor three African activists"}
    assert titles("Emperor Wilhelm II, crowned in 1888, sought to expand the fleet.") == {
        "1888": "Emperor Wilhelm II crowned"}
    assert titles("In 1890 a conference in Brussels determined that the coast belonged to Germany.") == {}
    assert "specifying" not in titles("Defeated in the war, Germany signed the treaty in Versailles in 1919 "
                                      "specifying its losses.")["1919"]
    assert timeline("The new rules came slowly.", "Reforms in 1907").events[0].title == "Reforms in 1907"


def test_a_comparison_keeps_its_word() -> None:
    """'had fewer than 900 people' never loses 'fewer' to a long title's spare words."""
    assert titles("In 1820 the town of Millbrook had fewer than 900 people and one muddy road to the coast.")[
        "1820"] == "Town of Millbrook had fewer than 900 people"
