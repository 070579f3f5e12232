"""``kg serve``: build the seed corpus if there is no graph yet, then serve it over HTTP.

The server is waitress (a production WSGI server: a pool of threads, HTTP/1.1 keep-alive,
buffered responses), never Flask's development server. Its threads only route requests and
wait; queries run in a separate pool of worker processes (``--workers``).
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading

from .. import config


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="serve the graph: SPARQL endpoint, pages, dumps",
                              description=__doc__.splitlines()[0])
    p.add_argument("--store", default=argparse.SUPPRESS, help="store folder")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port (default 5000)")
    p.add_argument("--base", help="base IRI when the seeds have to be built first (default: as kg build)")
    p.add_argument("--workers", type=int, help="query worker processes (default: one per core; $KG_WORKERS)")
    p.add_argument("--threads", type=int, help="HTTP threads (default: 4 per worker, at least 8; $KG_THREADS)")
    p.add_argument("--timeout", type=float, help="query time limit in seconds (default 30; $KG_QUERY_TIMEOUT)")
    p.add_argument("--max-rows", type=int, help="answers are cut after this many rows or triples, with a header "
                                                  "saying so (default 100000, 0 = no limit; $KG_MAX_ROWS)")
    p.add_argument("--service-allow", action="append", metavar="URL",
                   help="a SPARQL endpoint queries may call with SERVICE (repeatable; default: Wikidata's; "
                        "$KG_SERVICE_ALLOW, space-separated, empty for none)")
    p.add_argument("--service-map", action="append", metavar="URL=URL",
                   help="send SERVICE calls to the first endpoint to the second instead, a mirror or a local "
                        "stand-in (repeatable; the second must be allowed too; $KG_SERVICE_MAP)")
    p.add_argument("--queries", help="folder of canned queries (default queries/; $KG_QUERIES)")
    p.set_defaults(run=cmd_serve)


def cmd_serve(args) -> int:
    from waitress import create_server

    from .app import create_app
    from .federation import install_service_map
    from .settings import from_args

    settings = from_args(args)
    if not (settings.store_dir / "current").exists():
        _build_seeds(settings.store_dir, args.base)
    app = create_app(settings)
    engine = app.extensions["kg"]
    try:
        install_service_map(engine, settings.service_map)
        engine.builds.current()     # fail now, not on the first request, if the store is broken
        server = create_server(app, host=args.host, port=args.port, threads=settings.threads,
                               ident="newskg", connection_limit=max(100, 4 * settings.threads),
                               channel_timeout=max(120, int(settings.timeout) + 30))
    except BaseException:
        engine.close()              # e.g. the port is taken: stop the query workers, then report
        raise
    threading.Thread(target=_warm_up, args=(engine,), name="kg-warm-up", daemon=True).start()
    _say(f"serving {settings.store_dir} on http://{args.host}:{server.effective_port}/ "
         f"({settings.workers} query workers, {settings.threads} threads, {settings.timeout:g} s time limit, "
         f"{settings.max_rows or 'no'} row limit)")
    _say(f"  SPARQL endpoint: http://{args.host}:{server.effective_port}/sparql")

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()        # returns on SIGINT/SIGTERM (waitress handles KeyboardInterrupt)
    except KeyboardInterrupt:
        pass
    finally:
        _say("stopping")
        server.close()
        engine.close()
    return 0


def _warm_up(engine) -> None:
    """Count the graph for VoID and the Service Description now rather than on their first
    request (seconds on a large corpus; then kept in builds/<id>/stats.json)."""
    from .stats import stats
    try:
        stats(engine)
    except Exception as exc:      # the counts are computed again on first use
        _say(f"counting the graph failed: {exc}")


def _build_seeds(store_dir, base_flag) -> None:
    from ..build import build, print_report
    from ..cli import default_seeds
    from ..curated import default_path

    seeds = default_seeds()
    _say(f"no graph in {store_dir} yet: building the seed articles in {seeds} first")
    report = build([seeds], store_dir, config.base_iri(base_flag), default_path([seeds]), progress=_say)
    print_report(report, store_dir)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
