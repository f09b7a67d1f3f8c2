"""The extraction child: ``python -m docflow.services.extract.child``.

It reads one JSON request per line on stdin (a file, its format, the extractor to use,
the limits), extracts, and answers one JSON line on stdout. Before each document it
lowers its own CPU limit to what that document may use, so a parser that spins is
stopped by the kernel (SIGXCPU); the parent watches wall time and memory. It exits when
stdin closes, and dies with its parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import os
import resource
import signal
import sys
from typing import Any

from docflow.errors import CorruptDocument, LimitExceeded, UnreadableDocument
from docflow.services.extract import Extractor
from docflow.services.extract.result import Limits, describe

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Not on Linux, prctl is missing: the closed stdin still ends the loop.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _limit_cpu(seconds: float) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    spent = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _load(path: str) -> Extractor:
    module, _, name = path.partition(":")
    extractor: Extractor = getattr(importlib.import_module(module), name)()
    return extractor


def handle(request: dict[str, Any], extractors: dict[str, Extractor]) -> dict[str, Any]:
    """One request's answer; every failure becomes an error answer, never an exception."""
    try:
        _limit_cpu(request["cpu_seconds"])
        extractor = extractors.get(request["extractor"])
        if extractor is None:
            extractor = extractors[request["extractor"]] = _load(request["extractor"])
        with open(request["path"], "rb") as file:
            data = file.read(request["max_bytes"] + 1)
        if len(data) > request["max_bytes"]:
            raise LimitExceeded(f"the file is over {request['max_bytes']:,} bytes")
        result = extractor.extract(data, Limits.from_json(request["limits"]))
        return {"ok": result.to_json()}
    except UnreadableDocument as exc:
        return {"error": {"type": type(exc).__name__, "message": str(exc)}}
    except MemoryError:
        return {"error": {"type": "LimitExceeded", "message": "ran out of memory reading it"}}
    except RecursionError:
        return {"error": {"type": "CorruptDocument", "message": "nested too deeply to read"}}
    except FileNotFoundError:
        return {"error": {"type": "StorageError", "message": "stored file is missing"}}
    except Exception as exc:  # noqa: BLE001 - a parser's failure on a bad file is that file's
        reason = CorruptDocument(f"the reader failed on this file ({describe(exc)})")
        return {"error": {"type": "CorruptDocument", "message": str(reason)}}


def main() -> None:
    _die_with_parent()
    # Answers go on a private copy of stdout; libraries that print (some OCR engines log
    # to stdout) write to stderr instead and cannot break the protocol.
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    extractors: dict[str, Extractor] = {}
    for line in sys.stdin:
        answer = handle(json.loads(line), extractors)
        out.write(json.dumps(answer) + "\n")
        out.flush()
    os._exit(0)  # skip interpreter teardown: native libraries can take seconds to unload


if __name__ == "__main__":
    main()
