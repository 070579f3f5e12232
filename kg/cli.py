"""The ``kg`` command: build a graph from articles, query it, dump it, check it, serve it.

    kg build [PATH ...]        articles → graph in the store (default: seeds/)
    kg query 'SPARQL'          run a query on the store (Oxigraph)
    kg dump                    write the whole graph (N-Quads, TriG, Turtle, N-Triples, JSON-LD)
    kg validate                check the graph against ontology/shapes.ttl (SHACL)

Every command takes --store DIR (default ./kg-store, or $KG_STORE).
Exit status: 0 success; 1 failure; 2 usage error; 3 built, but some files were skipped.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import config

EXIT_SKIPPED = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kg", description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--store", help=f"store folder (default ./{config.DEFAULT_STORE} or $KG_STORE)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("build", help="build the graph from a folder of articles")
    p.add_argument("paths", nargs="*", type=Path, help="article files or folders (default: seeds/)")
    p.add_argument("--store", default=argparse.SUPPRESS, help="store folder")
    p.add_argument("--base", help=f"base IRI for minted IRIs (default {config.DEFAULT_BASE} or $KG_BASE_IRI)")
    p.add_argument("--curated", type=Path, help="curated-knowledge YAML (default: entities.yaml beside the articles)")
    p.add_argument("--no-curated", action="store_true", help="ignore any curated-knowledge file")
    p.add_argument("--workers", type=int, help="extraction processes (default: number of cores)")
    p.add_argument("--encoding", default="utf-8", help="text encoding of .txt articles (default utf-8)")
    p.add_argument("--no-cache", action="store_true", help="re-extract every article (and refresh the cache)")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed since the last build")
    p.set_defaults(run=cmd_build)

    p = commands.add_parser("query", help="run a SPARQL query on the graph")
    p.add_argument("query", nargs="?", help="the query; '-' or none reads it from standard input")
    p.add_argument("-f", "--file", type=Path, help="read the query from a file")
    p.add_argument("--format", default="table", choices=["table", "json", "csv", "tsv", "xml", "turtle", "ntriples"])
    p.add_argument("--store", default=argparse.SUPPRESS, help="store folder")
    p.set_defaults(run=cmd_query)

    p = commands.add_parser("dump", help="write the whole graph")
    p.add_argument("--format", default="nquads",
                   choices=["nquads", "trig", "jsonld", "turtle", "ntriples", "rdfxml"])
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.add_argument("--store", default=argparse.SUPPRESS, help="store folder")
    p.set_defaults(run=cmd_dump)

    p = commands.add_parser("validate", help="check the graph against the SHACL shapes")
    p.add_argument("--shapes", type=Path, help="shapes file (default ontology/shapes.ttl)")
    p.add_argument("--store", default=argparse.SUPPRESS, help="store folder")
    p.set_defaults(run=cmd_validate)

    for extra in _extra_commands():
        extra(commands)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (FileNotFoundError, ValueError, RuntimeError, OSError) as exc:
        print(f"kg {args.command}: {exc}", file=sys.stderr)
        return 1


def _extra_commands():
    """Commands living in their own modules (serve, evaluate, link) register themselves here."""
    from importlib import import_module
    for name in ("kg.server.command", "kg.evaluate", "kg.wikidata.command"):
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("kg"):
                continue
            raise
        yield module.register


def default_seeds() -> Path:
    """./seeds when run from the project folder, else the seed corpus bundled with the package."""
    from .resources import project_dir

    local = Path("seeds")
    return local if local.is_dir() else project_dir("seeds")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_build(args) -> int:
    from .build import build, print_report
    from .curated import default_path

    paths = args.paths or [default_seeds()]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such file or folder: {', '.join(map(str, missing))}")
    curated = None if args.no_curated else (args.curated or default_path(paths))
    store = config.store_dir(args.store)
    report = build(paths, store, config.base_iri(args.base), curated, args.workers, args.encoding,
                   progress=say, use_cache=not args.no_cache,
                   force=args.force or args.no_cache)
    print_report(report, store)
    return EXIT_SKIPPED if report.skipped else 0


def cmd_query(args) -> int:
    import pyoxigraph

    from .store import open_read_only

    text = args.file.read_text(encoding="utf-8") if args.file else args.query
    if text is None or text == "-":
        text = sys.stdin.read()
    store = open_read_only(config.store_dir(args.store))
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        print(f"kg query: malformed query: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout.buffer
    if isinstance(result, pyoxigraph.QueryBoolean):
        if args.format == "table":
            print("true" if bool(result) else "false")
        else:
            out.write(result.serialize(format=_results_format(args.format)))
        return 0
    if isinstance(result, pyoxigraph.QueryTriples):
        rdf = pyoxigraph.RdfFormat.N_TRIPLES if args.format in ("ntriples", "table") else pyoxigraph.RdfFormat.TURTLE
        out.write(pyoxigraph.serialize(result, format=rdf) or b"")
        return 0
    if args.format == "table":
        _print_table(result)
    else:
        out.write(result.serialize(format=_results_format(args.format)))
    return 0


def _results_format(name: str):
    import pyoxigraph

    formats = {"json": pyoxigraph.QueryResultsFormat.JSON, "csv": pyoxigraph.QueryResultsFormat.CSV,
               "tsv": pyoxigraph.QueryResultsFormat.TSV, "xml": pyoxigraph.QueryResultsFormat.XML}
    if name not in formats:
        raise ValueError(f"--format {name} is for CONSTRUCT/DESCRIBE; use table, json, csv, tsv or xml")
    return formats[name]


def _print_table(solutions) -> None:
    names = [v.value for v in solutions.variables]
    rows = [[_cell(solution[name]) for name in names] for solution in solutions]
    width = os.get_terminal_size().columns if sys.stdout.isatty() else 10_000
    limit = max(12, (width - 3 * len(names)) // max(len(names), 1))
    widths = [min(limit, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    fmt = " | ".join(f"{{:{w}.{w}}}" for w in widths)
    print(fmt.format(*names))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(fmt.format(*row))
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=sys.stderr)


def _cell(term) -> str:
    if term is None:
        return ""
    return term.value.replace("\n", " ")


def cmd_dump(args) -> int:
    from .dump import write_dump
    from .store import open_read_only

    store = open_read_only(config.store_dir(args.store))
    if args.output:
        with open(args.output, "wb") as handle:
            write_dump(store, args.format, handle)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        write_dump(store, args.format, sys.stdout.buffer)
    return 0


def cmd_validate(args) -> int:
    from .validate import validate

    conforms, problems = validate(config.store_dir(args.store), args.shapes)
    if conforms:
        print("the graph conforms to the SHACL shapes", file=sys.stderr)
        return 0
    print(f"the graph does NOT conform: {len(problems)} kinds of violation", file=sys.stderr)
    for line in problems:
        print(f"- {line}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
