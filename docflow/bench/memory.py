"""The peak resident memory of this process."""

from __future__ import annotations


def peak_rss_mb() -> float:
    """VmHWM, the high-water mark of this process image. Not getrusage's ru_maxrss: Linux
    carries that over an exec from the process that forked (or vforked) the new one, so a
    child started by a large parent would report the parent's memory as its own."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise OSError("no VmHWM in /proc/self/status")
