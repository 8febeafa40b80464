"""Benchmark: the 1 GiB upload case on the `local` target against a bare httpx streaming upload.

Runs in a process of its own so its peak memory (ru_maxrss) is the upload's
alone. The harness side runs the suite's `uploads.size.1gib` case through the
case runner (recording, observations, checks); the bare side posts the same
generated multipart body with a plain httpx client. Prints one JSON object.
Usage: python benchmarks/upload.py [--size BYTES]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from dataclasses import replace

import httpx

from harness.multipart import FilePart, MultipartBody
from harness.runner import run_case
from harness.targets import TargetOptions
from harness.targets.local import LocalTarget
from suites.uploads.cases import CASES

CASE_ID = "uploads.size.1gib"


async def measure(size: int) -> dict[str, float]:
    case = next(case for case in CASES if case.id == CASE_ID)
    case = replace(case, params={**case.params, "size": size})
    with tempfile.TemporaryDirectory() as work:
        target = LocalTarget(TargetOptions(work_dir=work))
        info = await target.start()
        try:
            started = time.perf_counter()
            record = await run_case(case, target, info["features"], 1.0, 0, ("heavy",))
            harness_s = time.perf_counter() - started
            assert record["status"] == "PASS", record["message"]
            body = MultipartBody([FilePart("file", "upload.bin", size, 1)])
            async with httpx.AsyncClient(base_url=target.base_url, timeout=600) as bare:
                started = time.perf_counter()
                response = await bare.post(
                    "/uploads/hash", content=body.stream(), headers=body.headers()
                )
                bare_s = time.perf_counter() - started
            assert response.json()["sha256"] == body.sent_sha256[0]
        finally:
            await target.stop()
    mib = size / 1024**2
    return {
        "upload.bytes": size,
        "upload.harness.mib_per_second": round(mib / harness_s, 1),
        "upload.bare.mib_per_second": round(mib / bare_s, 1),
        "upload.harness_vs_bare": round(harness_s / bare_s, 3),
        "upload.peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1024**3)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(measure(args.size))))


if __name__ == "__main__":
    main()
