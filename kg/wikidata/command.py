"""``kg link``: find the Wikidata items of the graph's unlinked entities.

    kg link [--dry-run]        reconcile, print what was found, record confident links
    kg link --sync-queries     refresh the item lists of queries/wikidata-*.rq from the graph

Confident matches are written into the curated-knowledge file (the one the graph was built
with, or --curated FILE) with their score and ``wikidata_checked: "DATE kg link (review)"``;
``kg build`` then turns them into ``owl:sameAs`` links. Uncertain matches and refused
candidates (the wrong kind of thing) are only printed, for a person to decide. Without the
network nothing is changed and the exit status is 1.
"""
from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from .. import config

EXIT_UNREACHABLE = 1


def register(subparsers) -> None:
    p = subparsers.add_parser("link", help="reconcile unlinked entities with Wikidata (confident links go to the "
                                           "curated file for review)", description=__doc__.splitlines()[0],
                              epilog="\n".join(__doc__.splitlines()[2:]),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", default=argparse.SUPPRESS, help="store folder")
    p.add_argument("--dry-run", action="store_true", help="print what would be linked; write nothing")
    p.add_argument("--curated", type=Path, help="curated-knowledge file to write (default: the one the graph was "
                                                "built with)")
    p.add_argument("--threshold", type=float, default=0.85, help="score needed for a confident match (default 0.85)")
    p.add_argument("--limit", type=int, help="only the N most-mentioned unlinked entities")
    p.add_argument("--min-mentions", type=int, default=1, help="skip entities mentioned fewer times (default 1)")
    p.add_argument("--type", action="append", dest="types", metavar="TYPE",
                   help="only entities of this type (repeatable; default: every type in the type map)")
    p.add_argument("--api", help="Wikidata API URL (default $KG_WIKIDATA_API or https://www.wikidata.org/w/api.php)")
    p.add_argument("--cache", type=Path, help="answer cache folder (default STORE/cache/wikidata)")
    p.add_argument("--no-cache", action="store_true", help="ask again even what was asked before")
    p.add_argument("--rate", type=float, default=1.0, help="at most this many requests a second (default 1)")
    p.add_argument("--language", default="en", help="language of labels and searches (default en)")
    p.add_argument("--types-file", type=Path, help="type map (default kg/data/wikidata_types.yaml)")
    p.add_argument("--date", help=argparse.SUPPRESS)      # the date written as checked (tests)
    p.add_argument("--sync-queries", nargs="?", const="", metavar="DIR",
                   help="instead of reconciling: rewrite the VALUES lists of DIR/wikidata-*.rq (default queries/) "
                        "from the graph's links; needs no network")
    p.set_defaults(run=cmd_link)


def cmd_link(args) -> int:
    from ..store import build_info, open_read_only

    store_dir = config.store_dir(getattr(args, "store", None))
    store = open_read_only(store_dir)
    if args.sync_queries is not None:
        from ..resources import project_dir
        from .queries import sync
        for line in sync(Path(args.sync_queries) if args.sync_queries else project_dir("queries"), store):
            print(line)
        return 0

    from .api import ApiError, Client, Unreachable
    from .classes import TypeMap
    from .reconcile import Reconciler, unlinked_entities

    curated = args.curated or _built_with(build_info(store_dir))
    if curated is None and not args.dry_run:
        raise ValueError("the graph was built without a curated-knowledge file: pass --curated FILE "
                         "(or --dry-run)")
    typemap = TypeMap.load(args.types_file)
    kinds = [k for k in (args.types or typemap.kinds) if k in typemap.kinds]
    unknown = sorted(set(args.types or []) - set(typemap.kinds))
    if unknown:
        raise ValueError(f"no Wikidata classes for type {', '.join(unknown)} in the type map")
    entities = [e for e in unlinked_entities(store, kinds) if e.mentions >= args.min_mentions]
    if args.limit is not None:
        entities = entities[:args.limit]
    del store
    client = Client(args.api, None if args.no_cache else (args.cache or store_dir / "cache" / "wikidata"),
                    rate=args.rate)
    reconciler = Reconciler(client, typemap, args.threshold, args.language)
    _say(f"kg link: {len(entities)} unlinked entities to look up at {client.base}")
    decisions = []
    try:
        for n, entity in enumerate(entities, 1):
            decisions.append(reconciler.decide(entity))
            if n % 10 == 0:
                _say(f"  {n}/{len(entities)} …")
    except Unreachable as exc:
        _say(f"kg link: Wikidata is not reachable at {client.base} ({exc}); nothing was changed")
        return EXIT_UNREACHABLE
    except ApiError as exc:
        _say(f"kg link: {exc}; nothing was changed")
        return EXIT_UNREACHABLE
    _say(f"  {client.requests} requests, {client.cache_hits} answers from the cache")
    print_report(decisions)
    links = [d for d in decisions if d.status == "link"]
    if args.dry_run or not links:
        print(f"\n{'dry run: ' if args.dry_run else ''}nothing written")
        return 0
    from .curated_file import Link, write_links
    checked = f"{args.date or datetime.date.today().isoformat()} kg link (review)"
    done = write_links(curated, [Link(d.entity.label, d.entity.type, d.entity.aliases, d.chosen.qid, d.chosen.score)
                                 for d in links], checked)
    print(f"\nwritten to {curated}:")
    for line in done:
        print(f"  {line}")
    print("check them, then 'kg build' to add the links to the graph")
    return 0


def print_report(decisions) -> None:
    groups = {"link": [], "uncertain": [], "refused": [], "not-found": []}
    for d in decisions:
        groups[d.status].append(d)
    print(f"confident ({len(groups['link'])}):")
    for d in groups["link"]:
        print(f"  {_entity(d)} → {d.chosen.show()}  score {d.chosen.score:.2f}; {d.chosen.type_reason}")
    print(f"uncertain, for a person to decide ({len(groups['uncertain'])}):")
    for d in groups["uncertain"]:
        print(f"  {_entity(d)} ? {d.chosen.show()}  score {d.chosen.score:.2f}: {d.note}")
    refused = [(d, c) for d in decisions for c in d.refused]
    print(f"refused: the wrong kind of thing ({len(refused)}):")
    for d, c in refused:
        print(f"  {_entity(d)} ✗ {c.show()}: {c.type_reason}")
    print(f"no candidate ({len(groups['not-found'])}): "
          + ", ".join(_entity(d) for d in groups["not-found"]))


def _entity(decision) -> str:
    e = decision.entity
    return f"{e.label} ({e.type}, {e.mentions} mention{'' if e.mentions == 1 else 's'})"


def _built_with(info: dict) -> Path | None:
    name = info.get("curated_file")
    return Path(name) if name and Path(name).exists() else None


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
