"""Deterministic pseudo-random content, generated in chunks so no body is ever held whole."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator

CHUNK = 256 * 1024
ROTATION_STEP = 7919


def chunks(size: int, seed: int, chunk: int = CHUNK) -> Iterator[bytes]:
    """`size` bytes, the same for the same seed, in pieces of at most `chunk` bytes.

    One random block is drawn from the seed; piece i is that block rotated by
    i * 7919 bytes (a prime step), so every piece differs from its neighbours
    and a reordered, repeated, dropped or flipped piece changes the SHA-256,
    at the speed of a memory copy rather than of a random generator.
    """
    if size <= 0:
        return
    block = random.Random(seed).randbytes(min(size, chunk))
    produced = index = 0
    while produced < size:
        shift = (index * ROTATION_STEP) % len(block)
        piece = (block[shift:] + block[:shift])[: size - produced]
        produced += len(piece)
        index += 1
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
