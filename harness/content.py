"""Deterministic pseudo-random content, generated in chunks so no body is ever held whole."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

CHUNK = 256 * 1024


def chunks(size: int, seed: int, chunk: int = CHUNK) -> Iterator[bytes]:
    """`size` bytes, the same for the same seed, in pieces of at most `chunk` bytes."""
    rng = random.Random(seed)
    remaining = size
    while remaining > 0:
        piece = rng.randbytes(min(chunk, remaining))
        remaining -= len(piece)
        yield piece


def digest(size: int, seed: int) -> str:
    """SHA-256 of `chunks(size, seed)`."""
    sha = hashlib.sha256()
    for piece in chunks(size, seed):
        sha.update(piece)
    return sha.hexdigest()


def content(size: int, seed: int) -> bytes:
    """The whole content at once, for small sizes only."""
    return b"".join(chunks(size, seed))
