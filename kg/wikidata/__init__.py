"""Linking the graph to Wikidata.

Entities whose Wikidata item is *known* get ``owl:sameAs``/``schema:sameAs`` links when the
graph is built (``kg/mapping.py``). Known means written in the curated-knowledge file
(``wikidata: Q…``), either by a person who checked it or by ``kg link`` after it found a
confident match (marked for review). Nothing here ever invents an ID: a link nobody
confirmed is worse than none.

    api.py          the Wikidata API client: User-Agent, rate limit, retries, disk cache
    classes.py      which items may stand for a Person, a Location, … (kg/data/wikidata_types.yaml)
    reconcile.py    the graph's unlinked entities, their candidates, scores and decisions
    curated_file.py writing confident links into the curated YAML without losing its comments
    queries.py      keeping the item lists of the federated canned queries in step with it
    command.py      ``kg link``
"""
