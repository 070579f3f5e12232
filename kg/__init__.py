"""News knowledge graph: articles → RDF → SPARQL endpoint."""
__version__ = "0.1.0"
