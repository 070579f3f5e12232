"""Helpers for the server tests: start the real ``kg serve`` on a free loopback port.

The server runs as users run it (``python -m kg serve`` in a subprocess, waitress and its
worker processes), and tests talk to it over HTTP only.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from conftest import ROOT

NKG = "https://w3id.org/newskg/ns#"
PREFIXES = ("PREFIX nkg: <https://w3id.org/newskg/ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX owl: <http://www.w3.org/2002/07/owl#> ")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_store(source: Path, target: Path, with_graph: bool = True) -> Path:
    """A private copy of a built store (the server writes dumps and counts into it)."""
    if with_graph:
        shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("cache"))
    else:
        target.mkdir(parents=True)
    if (source / "cache").exists():
        shutil.copytree(source / "cache", target / "cache")
    return target


@dataclass
class Server:
    url: str          # http://127.0.0.1:PORT  (no trailing slash)
    port: int
    store: Path
    process: subprocess.Popen
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=60, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=60, **kwargs)

    def select(self, query: str) -> list[dict]:
        """Rows of a SELECT as {var: value}."""
        response = requests.post(self.sparql, data={"query": PREFIXES + query},
                                 headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert response.status_code == 200, response.text
        return [{k: v["value"] for k, v in b.items()} for b in response.json()["results"]["bindings"]]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_server(store: Path, *args: str, port: int | None = None, log_dir: Path | None = None,
                 wait: float = 120.0) -> Server:
    port = port or free_port()
    log = (log_dir or store.parent) / f"serve-{port}.log"
    handle = open(log, "wb")
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", str(port),
                                *args], cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    server = Server(f"http://127.0.0.1:{port}", port, store, process, log)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kg serve exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if requests.get(server.url + "/health", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"kg serve did not become healthy in {wait:g} s:\n{log.read_text(errors='replace')}")
