"""The Wikidata API, asked politely: who we are, how often, what we already know.

Wikimedia's API etiquette asks every client for a descriptive ``User-Agent`` with a way to
contact its operator, for requests in series rather than in parallel, and for backing off
when told to (HTTP 429 or 503 with ``Retry-After``, or the ``maxlag`` error when the
replicas lag). This client does all of it with the standard library only:

* one request at a time, at most ``rate`` per second (default 1);
* ``maxlag=5`` on every request; 429, 5xx and ``maxlag`` answers are retried with
  exponential backoff, waiting at least as long as ``Retry-After`` says;
* every answer is kept on disk (``STORE/cache/wikidata/`` by default) for ``max_age`` days,
  so a second ``kg link`` asks nothing it asked before;
* a machine without the network gets :class:`Unreachable` at the first request, so that
  the caller can say so and change nothing.

The base URL is configurable (``$KG_WIKIDATA_API``) so that tests talk to a local stand-in.
Only ``wbsearchentities``, ``wbgetentities`` and ``wbgetclaims`` are used: claims are asked
one property at a time because an item's full claims (a country's) run to megabytes.
"""
from __future__ import annotations

import email.utils
import gzip
import hashlib
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .. import __version__

DEFAULT_API = "https://www.wikidata.org/w/api.php"
ENV_API = "KG_WIKIDATA_API"
ENV_CONTACT = "KG_WIKIDATA_CONTACT"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_WAIT = 120.0


class Unreachable(ConnectionError):
    """The API could not be reached at all (no network, DNS failure, connection refused)."""


class ApiError(RuntimeError):
    """The API answered, but not with what was asked (an error code, or retries ran out)."""


def api_url(flag: str | None = None) -> str:
    return flag or os.environ.get(ENV_API) or DEFAULT_API


def user_agent() -> str:
    contact = os.environ.get(ENV_CONTACT) or "set KG_WIKIDATA_CONTACT to an e-mail or URL"
    return f"newskg/{__version__} (https://w3id.org/newskg; {contact}) kg-link"


class Client:
    def __init__(self, base: str | None = None, cache_dir: Path | None = None, rate: float = 1.0,
                 retries: int = 4, backoff: float = 1.0, timeout: float = 30.0, max_age_days: float = 30,
                 sleep=time.sleep):
        self.base = api_url(base)
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.max_age = max_age_days * 86400
        self.sleep = sleep
        self.user_agent = user_agent()
        self.requests = 0          # sent over the network
        self.cache_hits = 0
        self._last = float("-inf")

    # ------------------------------------------------------------------ the three actions

    def search(self, text: str, language: str = "en", limit: int = 7) -> list[dict]:
        """``wbsearchentities``: items whose label or alias starts like ``text``, best first."""
        data = self.get({"action": "wbsearchentities", "search": text, "language": language,
                         "uselang": language, "type": "item", "limit": str(limit)})
        return list(data.get("search") or [])

    def entities(self, ids: list[str], language: str = "en",
                 props: str = "labels|aliases|descriptions|sitelinks") -> dict[str, dict]:
        """``wbgetentities`` for up to 50 items a request; missing items are left out."""
        out: dict[str, dict] = {}
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), 50):
            chunk = ids[start:start + 50]
            data = self.get({"action": "wbgetentities", "ids": "|".join(chunk), "props": props,
                             "languages": language})
            for qid, entity in (data.get("entities") or {}).items():
                if "missing" not in entity:
                    out[qid] = entity
        return out

    def claims(self, qid: str, prop: str) -> list[str]:
        """``wbgetclaims``: the item IDs ``qid`` has for ``prop`` (deprecated statements left out)."""
        data = self.get({"action": "wbgetclaims", "entity": qid, "property": prop})
        values = []
        for claim in (data.get("claims") or {}).get(prop, []):
            if claim.get("rank") == "deprecated":
                continue
            value = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value")
            if isinstance(value, dict) and value.get("id"):
                values.append(value["id"])
        return values

    # ------------------------------------------------------------------ transport

    def get(self, params: dict) -> dict:
        params = {**params, "format": "json"}
        key = urllib.parse.urlencode(sorted(params.items()))
        cached = self._cached(key)
        if cached is not None:
            self.cache_hits += 1
            return cached
        data = self._fetch({**params, "maxlag": "5"})
        self._store(key, data)
        return data

    def _fetch(self, params: dict) -> dict:
        url = self.base + ("&" if "?" in self.base else "?") + urllib.parse.urlencode(params)
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "application/json",
                                                       "Accept-Encoding": "gzip"})
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body, headers = response.read(), response.headers
                    if headers.get("Content-Encoding") == "gzip":
                        body = gzip.decompress(body)
                    data = json.loads(body.decode("utf-8"))
            except urllib.error.HTTPError as exc:
                if exc.code in RETRY_STATUSES and attempt < self.retries:
                    self.sleep(self._delay(attempt, exc.headers.get("Retry-After")))
                    continue
                raise ApiError(f"{self.base} answered HTTP {exc.code} {exc.reason}"
                               + (" (gave up after retrying)" if exc.code in RETRY_STATUSES else "")) from None
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, (TimeoutError, socket.timeout)) and attempt < self.retries:
                    self.sleep(self._delay(attempt, None))
                    continue
                raise Unreachable(f"{reason}") from None
            except ValueError as exc:
                raise ApiError(f"{self.base} did not answer with JSON: {exc}") from None
            error = data.get("error") if isinstance(data, dict) else None
            if error:
                if error.get("code") == "maxlag" and attempt < self.retries:
                    self.sleep(self._delay(attempt, headers.get("Retry-After")))
                    continue
                raise ApiError(f"{self.base}: {error.get('code')}: {error.get('info', '')}")
            return data
        raise ApiError(f"{self.base}: no answer after {self.retries + 1} attempts")

    def _wait_turn(self) -> None:
        if self.interval:
            gap = time.monotonic() - self._last
            if gap < self.interval:
                self.sleep(self.interval - gap)
        self._last = time.monotonic()

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """What the server said to wait (``Retry-After``), else exponential backoff."""
        told = _retry_after_seconds(retry_after) if retry_after else None
        delay = told if told is not None else self.backoff * (2 ** attempt)
        return min(delay, MAX_WAIT)

    # ------------------------------------------------------------------ disk cache

    def _path(self, key: str) -> Path | None:
        if not self.cache_dir:
            return None
        digest = hashlib.sha256(f"{self.base}?{key}".encode()).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def _cached(self, key: str):
        path = self._path(key)
        if path is None or not path.exists():
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if time.time() - record.get("fetched", 0) > self.max_age:
            return None
        return record.get("data")

    def _store(self, key: str, data) -> None:
        path = self._path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"url": f"{self.base}?{key}", "fetched": time.time(), "data": data},
                                  ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


def _retry_after_seconds(value: str) -> float | None:
    """``Retry-After`` is a number of seconds or an HTTP date."""
    value = value.strip()
    if value.replace(".", "", 1).isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
