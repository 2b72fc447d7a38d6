import ctypes
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tandem

# In a child process: the threshold is process-wide, the test process keeps glibc's default.
_PROBE = """
import ctypes, sys
from tandem.cli.allocator import return_large_blocks
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
if sys.argv[1] == "fixed":
    assert return_large_blocks()
libc.free(libc.malloc(8 << 20))  # a mapped block freed: glibc's own policy raises its threshold
before = libc.mallinfo2().hblks
block = libc.malloc(1 << 20)
print(libc.mallinfo2().hblks - before)
"""


def _glibc() -> bool:
    try:
        ctypes.CDLL("libc.so.6").mallinfo2  # noqa: B018
    except (OSError, AttributeError):
        return False
    return True


def _mapped_blocks_after_a_free(mode: str) -> int:
    env = {**os.environ, "PYTHONPATH": str(Path(tandem.__file__).parents[1])}
    env.pop("MALLOC_MMAP_THRESHOLD_", None)
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


@pytest.mark.skipif(not _glibc(), reason="glibc's allocator (mallopt, mallinfo2) only")
def test_a_large_block_stays_mapped_after_one_was_freed() -> None:
    """With the import's policy a 1 MiB block is mapped (freed: returned), not heap-kept."""
    assert _mapped_blocks_after_a_free("default") == 0  # glibc alone: from the heap
    assert _mapped_blocks_after_a_free("fixed") == 1
