"""``kg serve``: the graph over HTTP — a SPARQL 1.1 Protocol endpoint, canned queries, dumps,
VoID, and a page for every IRI the graph mints.

Modules, one job each:

    command.py     the ``serve`` subcommand (build the seeds if needed, then run waitress)
    settings.py    server settings from flags and environment
    app.py         the Flask application: wires the parts below together
    hooks.py       what every response gets: CORS, gzip, readable errors
    engine.py      the one door to the graph: checks a query, runs it on the pool
    builds.py      which build is current (follows ``current`` without a restart)
    pool.py        worker processes that run queries and are killed on timeout
    worker.py      the loop inside one worker: open the store read-only, run, serialise
    negotiate.py   formats, media types, Accept with q-values, ``format=``
    sparql_text.py a small SPARQL tokenizer: prologue, query form, FROM, SERVICE targets
    federation.py  the SERVICE allow-list check (reusable outside the server)
    protocol.py    ``/sparql``: the SPARQL 1.1 Protocol query operation
    answer.py      a query outcome → an HTTP response (headers, HTML table)
    canned.py      ``queries/*.rq``: header parsing and safe parameter binding
    queries.py     ``/queries`` and ``/queries/NAME``
    stats.py       counts for VoID and the Service Description, once per build
    describe.py    Service Description and VoID
    dumpfiles.py   dump files written once per build
    dumps.py       ``/dump.*``: those files with ETag, Range, gzip
    pagedata.py    what an entity, statement or document page shows
    pages.py       every minted IRI dereferenced: HTML or RDF
    highlight.py   an article's text cut into spans for highlighting
    home.py        the home page and ``/health``

This package's ``__init__`` imports nothing: worker processes import only what they run.
"""
