"""The limit of a document pipeline: extraction alone, in a tight loop, on the same files.

Each of ``processes`` processes reads its share of the files with the extractors
themselves (no sandbox, no database, no queue). It warms up first, on a file of its own
share (imports, the OCR engine's models), and all start timing together, so the figure
is what the machine's cores can extract, against which the pipeline is measured.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
from multiprocessing.synchronize import Barrier

from docflow.services.extract import extractor_paths, limits_of, load_extractor
from docflow.services.extract.sniff import sniff
from docflow.settings import Settings

_barrier: Barrier | None = None


def _init(barrier: Barrier) -> None:
    global _barrier
    _barrier = barrier
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"


def _read_all(job: tuple[dict[str, str], list[tuple[str, str]]]) -> tuple[int, float]:
    env, files = job
    settings = Settings.from_env(env)
    paths = extractor_paths(settings)
    with tempfile.TemporaryDirectory() as scratch:
        limits = limits_of(settings, scratch)
        extractors = {fmt: load_extractor(fmt, paths[fmt]) for fmt in {f for _, f in files}}

        def read(path: str, fmt: str) -> int:
            with open(path, "rb") as file:
                result = extractors[fmt].extract(file.read(), limits)
            done = 1
            for attachment in result.attachments:  # they become documents too
                with open(attachment.path, "rb") as file:
                    data = file.read()
                kind = sniff(data).format
                extractor = extractors.get(kind) or load_extractor(kind, paths[kind])
                extractors[kind] = extractor
                extractor.extract(data, limits)
                os.unlink(attachment.path)
                done += 1
            return done

        if files:
            read(*files[0])  # warm: imports, models
        assert _barrier is not None
        _barrier.wait()
        started = time.perf_counter()
        count = sum(read(path, fmt) for path, fmt in files)
        return count, time.perf_counter() - started


def measure(settings: Settings, files: list[tuple[str, str]], processes: int) -> tuple[int, float]:
    """Documents extracted (attachments included) and the seconds the slowest process took."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    shares = [files[i::processes] for i in range(processes)]
    with context.Pool(processes, initializer=_init, initargs=(barrier,)) as pool:
        results = pool.map(_read_all, [(settings.env(), share) for share in shares])
    return sum(count for count, _ in results), max(seconds for _, seconds in results)
