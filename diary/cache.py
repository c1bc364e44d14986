"""Answers kept in Redis, keyed so that a stale one can never be asked for.

Only where a key can name the exact state of the data (a patient's diary version); with
no REDIS_URL nothing is cached. Redis trouble is never the user's trouble: errors read as
a miss and writes are skipped.
"""

from __future__ import annotations

import logging

import redis
from flask import Flask, current_app

log = logging.getLogger(__name__)
TTL_SECONDS = 24 * 3600


def _client() -> redis.Redis | None:
    app: Flask = current_app
    if "diary.cache" not in app.extensions:
        url = app.config.get("CACHE_REDIS_URL") or ""
        app.extensions["diary.cache"] = (
            redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)
            if url
            else None
        )
    client: redis.Redis | None = app.extensions["diary.cache"]
    return client


def _key(key: str) -> str:
    return f"{current_app.config['RATELIMIT_KEY_PREFIX']}:cache:{key}"


def get(key: str) -> bytes | None:
    client = _client()
    if client is None:
        return None
    try:
        value = client.get(_key(key))
    except redis.RedisError as error:
        log.warning("cache read failed: %s", type(error).__name__)
        return None
    return value if isinstance(value, bytes) else None


def put(key: str, value: bytes) -> None:
    client = _client()
    if client is None:
        return
    try:
        client.set(_key(key), value, ex=TTL_SECONDS)
    except redis.RedisError as error:
        log.warning("cache write failed: %s", type(error).__name__)
