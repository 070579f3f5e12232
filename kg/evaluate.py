"""``kg evaluate GOLD_DIR``: score a built graph against hand-made gold files.

The corpus is built into a temporary store (or ``--store DIR`` names an existing build) and the
predictions are read back from the graph with SPARQL, so the scores are those of what a user
of the graph gets. Categories: entities (P/R/F1, type accuracy), direct quotes (P/R/F1,
speaker and medium accuracy), indirect statements, roles, events and numbers (recall, with
organisation / date / place accuracy), and "one IRI per real-world entity" across the corpus.
``--baseline spacy`` scores spaCy's NER alone on the same articles for the entity category.
Gold format and matching rules: tests/gold/README.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from . import evaluate_match as m

NKG = "https://w3id.org/newskg/ns#"
PREFIXES = f"PREFIX nkg: <{NKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
ENTITY_TYPES = " ".join(f"nkg:{t}" for t in m.TYPES)
SPACY_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location",
               "FAC": "Location", "EVENT": "Event"}


def register(subparsers) -> None:
    p = subparsers.add_parser("evaluate", help="score the graph of a corpus against gold annotations",
                              description=__doc__.splitlines()[0])
    p.add_argument("gold", type=Path, help="folder of gold *.yaml files (format: tests/gold/README.md)")
    p.add_argument("--corpus", type=Path,
                   help="articles to build (default: GOLD_DIR/articles if it exists, else seeds/)")
    p.add_argument("--store", default=argparse.SUPPRESS,
                   help="score this existing store instead of building the corpus into a temporary one")
    p.add_argument("--no-curated", action="store_true", help="build without the curated-knowledge file")
    p.add_argument("--baseline", choices=["spacy"], help="also score spaCy's NER alone (entities)")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives")
    p.add_argument("--min-f1", type=float, help="exit 1 when the overall entity F1 is below this")
    p.set_defaults(run=cmd_evaluate)


def cmd_evaluate(args) -> int:
    golds = m.load_gold(args.gold)
    store_flag = getattr(args, "store", None)
    if store_flag:
        result = evaluate_store(Path(store_flag), golds, args.baseline)
    else:
        corpus = args.corpus or _default_corpus(args.gold)
        if not corpus.exists():
            raise FileNotFoundError(f"no such corpus folder: {corpus}")
        with tempfile.TemporaryDirectory(prefix="kg-evaluate-") as tmp:
            _build(corpus, Path(tmp) / "store", args.no_curated)
            result = evaluate_store(Path(tmp) / "store", golds, args.baseline)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    else:
        print_report(result, args.verbose)
    f1 = result["total"]["entities"]["F1"] or 0.0
    if args.min_f1 is not None and f1 < args.min_f1:
        print(f"entity F1 {f1:.3f} is below --min-f1 {args.min_f1}", file=sys.stderr)
        return 1
    return 0


def _default_corpus(gold_dir: Path) -> Path:
    if (gold_dir / "articles").is_dir():
        return gold_dir / "articles"
    from .cli import default_seeds
    return default_seeds()


def _build(corpus: Path, store: Path, no_curated: bool) -> None:
    from . import config
    from .build import build
    from .curated import default_path

    curated = None if no_curated else default_path([corpus])
    print(f"building {corpus} into a temporary store …", file=sys.stderr, flush=True)
    build([corpus], store, config.base_iri(None), curated, progress=None)


# --------------------------------------------------------------------------- reading the graph

class Graph:
    """Predictions read from a store with SPARQL (union of all named graphs)."""

    def __init__(self, store_dir: Path):
        from .store import open_read_only
        self.store = open_read_only(store_dir)

    def rows(self, query: str) -> list[dict]:
        result = self.store.query(PREFIXES + query, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return [{n: (s[n].value if s[n] is not None else None) for n in names} for s in result]

    def documents(self) -> dict[str, tuple[str, str]]:
        """file name → (document IRI, text)."""
        rows = self.rows("SELECT ?d ?f ?c WHERE { ?d a nkg:Document ; nkg:fileName ?f ; nkg:content ?c }")
        return {Path(r["f"]).name: (r["d"], r["c"]) for r in rows}

    def iri_names(self) -> tuple[dict[str, set[str]], dict[str, str]]:
        """IRI → its label and aliases; IRI → its label."""
        names: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, str] = {}
        for r in self.rows("SELECT ?e ?n ?a WHERE { { ?e rdfs:label ?n BIND(1 AS ?a) } UNION { ?e nkg:alias ?n } }"):
            names[r["e"]].add(r["n"])
            if r["a"]:
                labels.setdefault(r["e"], r["n"])
        return names, labels

    def entities(self) -> dict[str, dict[str, m.Pred]]:
        """document IRI → entity IRI → predicted entity (with its surface forms in that document)."""
        out: dict[str, dict[str, m.Pred]] = defaultdict(dict)
        rows = self.rows(f"""SELECT DISTINCT ?d ?e ?t ?l ?et WHERE {{
            {{ ?d nkg:mentions ?e }} UNION {{ ?sp nkg:refersTo ?e ; nkg:document ?d }}
            ?d a nkg:Document . ?e a ?t . VALUES ?t {{ {ENTITY_TYPES} }}
            OPTIONAL {{ ?e rdfs:label ?l }} OPTIONAL {{ ?e nkg:eventType ?et }} }}""")
        for r in rows:
            t = r["t"].rsplit("#", 1)[-1]
            pred = out[r["d"]].setdefault(r["e"], m.Pred(r["e"], t, r["l"] or ""))
            if t == "ReportingSource" or pred.type not in m.TYPES:
                pred.type = t
            pred.event_instance = pred.event_instance or r["et"] is not None
        for r in self.rows("SELECT DISTINCT ?d ?e ?x WHERE { ?sp nkg:refersTo ?e ; nkg:document ?d ; nkg:exact ?x }"):
            if r["e"] in out.get(r["d"], {}):
                out[r["d"]][r["e"]].surfaces.add(r["x"])
        return out

    def facts(self, cls: str, fields: dict[str, str], required: str = "") -> dict[str, list[m.Fact]]:
        """document IRI → facts of class ``cls`` with evidence in it; ``fields`` maps an attribute
        name to its predicate (each attribute is a list of values)."""
        optional = " ".join(f"OPTIONAL {{ ?x {p} ?{k} }}" for k, p in fields.items())
        rows = self.rows(f"""SELECT ?x ?d ?s ?e {' '.join('?' + k for k in fields)} WHERE {{
            ?x a {cls} ; nkg:evidence ?span . {required}
            ?span nkg:document ?d ; nkg:start ?s ; nkg:end ?e . {optional} }}""")
        facts: dict[tuple[str, str], m.Fact] = {}
        for r in rows:
            fact = facts.setdefault((r["d"], r["x"]), m.Fact(r["x"], []))
            span = (int(r["s"]), int(r["e"]))
            if span not in fact.spans:
                fact.spans.append(span)
            for k in fields:
                if r[k] is not None and r[k] not in fact.attrs.setdefault(k, []):
                    fact.attrs[k].append(r[k])
        out: dict[str, list[m.Fact]] = defaultdict(list)
        for (doc, _), fact in facts.items():
            for k in ("kind", "text"):
                if k in fact.attrs:
                    fact.attrs[k] = fact.attrs[k][0]
            out[doc].append(fact)
        return out


def evaluate_store(store_dir: Path, golds: list[m.Gold], baseline: str | None = None) -> dict:
    graph = Graph(store_dir)
    docs = graph.documents()
    iri_names, labels = graph.iri_names()
    names = m.Names(golds, iri_names)
    entities = graph.entities()
    statements = graph.facts("nkg:Statement", {"kind": "nkg:kind", "speaker": "nkg:speaker",
                                               "medium": "nkg:medium", "text": "nkg:text"})
    for facts in statements.values():
        for f in facts:
            f.attrs["speaker_label"] = [labels.get(s, s) for s in f.attrs.get("speaker", [])]
    roles = graph.facts("nkg:Role", {"holder": "nkg:holder", "roleName": "nkg:roleName",
                                     "organisation": "nkg:organisation"})
    events = graph.facts("nkg:Event", {"eventType": "nkg:eventType", "date": "nkg:date", "place": "nkg:place"},
                         required="?x nkg:eventType [] .")
    numbers = graph.facts("nkg:Quantity", {"value": "nkg:value", "counts": "nkg:counts"})
    nlp = _spacy() if baseline == "spacy" else None

    articles, pairs, missing, problems = {}, [], [], []
    for gold in golds:
        if Path(gold.article).name not in docs:
            missing.append(gold.article)
            continue
        doc, text = docs[Path(gold.article).name]
        problems += m.gold_problems(gold, text)
        ents = m.score_entities(gold, list(entities.get(doc, {}).values()))
        pairs += ents.pop("_pairs")
        row = {"entities": ents,
               "quotes": m.score_quotes(gold, text, statements.get(doc, []), names),
               "indirect": m.score_indirect(gold, text, statements.get(doc, []), names),
               "roles": m.score_roles(gold, roles.get(doc, []), names),
               "events": m.score_events(gold, text, events.get(doc, []), names),
               "numbers": m.score_numbers(gold, text, numbers.get(doc, []))}
        if nlp is not None:
            base = m.score_entities(gold, spacy_entities(nlp, text))
            base.pop("_pairs")
            row["baseline_entities"] = base
        articles[gold.article] = row
    if not articles:
        raise RuntimeError(f"none of the gold articles is in the graph ({', '.join(missing)})")
    cats = list(m.CATEGORIES) + (["baseline_entities"] if nlp is not None else [])
    totals = {c: m.total([a[c] for a in articles.values()]) for c in cats}
    return {"articles": articles, "total": totals, "identity": m.identity(pairs),
            "missing_articles": missing, "gold_problems": problems,
            "baseline": baseline}


def _spacy():
    from .extract import nlp
    return nlp.load()


def spacy_entities(nlp, text: str) -> list[m.Pred]:
    """spaCy's NER alone: one predicted entity per distinct entity text of the article."""
    preds: dict[str, m.Pred] = {}
    for ent in nlp(text).ents:
        t = SPACY_TYPES.get(ent.label_)
        if t and ent.text.strip() and ent.text not in preds:
            preds[ent.text] = m.Pred(f"spacy:{ent.text}", t, ent.text, {ent.text})
    return list(preds.values())


# -------------------------------------------------------------------------------- the report

COLUMNS = {
    "entities": [("gold", "gold"), ("pred", "pred"), ("tp", "match"), ("P", "P"), ("R", "R"),
                 ("F1", "F1"), ("type_acc", "type")],
    "quotes": [("gold", "gold"), ("pred", "pred"), ("found", "found"), ("P", "P"), ("R", "R"),
               ("F1", "F1"), ("speaker_acc", "speaker"), ("medium_acc", "medium")],
    "indirect": [("gold", "gold"), ("located", "span"), ("found", "found"), ("R", "R")],
    "roles": [("gold", "gold"), ("pred", "pred"), ("found", "found"), ("R", "R"), ("org_acc", "org")],
    "events": [("gold", "gold"), ("pred", "pred"), ("found", "found"), ("R", "R"), ("date_acc", "date"),
               ("place_acc", "place")],
    "numbers": [("gold", "gold"), ("pred", "pred"), ("found", "found"), ("R", "R")],
}
BASELINE_COLUMNS = [("pred", "pred"), ("P", "P"), ("R", "R"), ("F1", "F1"), ("type_acc", "type")]
LISTS = ("misses", "false_positives", "type_errors", "wrong_speaker", "wrong_dates", "wrong_places")


def _cell(value) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def print_report(result: dict, verbose: bool = False, out=None) -> None:
    out = out or sys.stdout
    say = lambda line="": print(line, file=out)  # noqa: E731
    names = list(result["articles"])
    width = max(8, *(len(n) - 4 for n in names))
    for cat, cols in COLUMNS.items():
        base = cat == "entities" and "baseline_entities" in result["total"]
        head = f"{cat:<{width}}" + "".join(f"{label:>8}" for _, label in cols)
        say(head + ("   │ spaCy NER alone:" if base else ""))
        if base:
            say(" " * len(head) + "   │" + "".join(f"{label:>7}" for _, label in BASELINE_COLUMNS))
        rows = [(n[:-4] if n.endswith(".txt") else n, result["articles"][n]) for n in names]
        for label, row in rows + [("all", result["total"])]:
            line = f"  {label:<{width - 2}}" + "".join(f"{_cell(row[cat].get(k)):>8}" for k, _ in cols)
            if base:
                line += "   │" + "".join(f"{_cell(row['baseline_entities'].get(k)):>7}" for k, _ in BASELINE_COLUMNS)
            say(line)
        say()
    ident = result["identity"]
    say(f"one IRI per entity: {ident['one_iri']}/{ident['gold_things']} gold things matched by exactly one "
        f"IRI ({_cell(ident['share'])}); {len(ident['duplicates'])} with several IRIs, "
        f"{len(ident['conflations'])} IRI(s) matching several gold things")
    if result["missing_articles"]:
        say(f"gold articles not in the graph: {', '.join(result['missing_articles'])}")
    if result["gold_problems"]:
        say(f"{len(result['gold_problems'])} gold problem(s): " + "; ".join(result["gold_problems"][:5]))
    if not verbose:
        return
    say()
    for g, iris in ident["duplicates"].items():
        say(f"duplicate: {g} → {', '.join(iris)}")
    for iri, gs in ident["conflations"].items():
        say(f"conflation: {iri} → {', '.join(gs)}")
    for name in names:
        say(f"\n== {name}")
        for cat in [*COLUMNS, "baseline_entities"]:
            row = result["articles"][name].get(cat)
            for key in LISTS if row else ():
                for item in row.get(key) or []:
                    say(f"  {cat} {key.replace('_', ' ')}: {item}")
