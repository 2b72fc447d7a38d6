"""Allocator policy for a bulk command's process: large blocks go back to the system when freed.

glibc raises its mmap threshold each time a block it had mapped is freed (up to 32 MiB), so
after an import has freed a few numpy arrays (a checkpoint drops the vectors it held) every
block below that size comes from the heap, and what is freed there stays in the process. At
``tandem import`` of 20k generated freelancers, glibc's main arena kept 143 MB free at the end
(88 MB at 5k): the largest thing that grew with the bundle, more than the HNSW graph (issue 15,
bench/README.md "What else grows during an import"). A fixed threshold keeps large blocks
mapped, so freeing one returns it. It is set for the import command's process only: a server's
allocation pattern (and its latency) was not measured with it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Final

#: glibc's ``M_MMAP_THRESHOLD`` parameter of ``mallopt`` (malloc.h).
_M_MMAP_THRESHOLD: Final = -3
#: glibc's default threshold: blocks from 128 KiB up are mapped, and unmapped when freed.
MMAP_THRESHOLD: Final = 128 * 1024


def return_large_blocks(threshold: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold at ``threshold`` bytes; whether it could (glibc only).

    Setting it also stops glibc from raising it as blocks are freed.
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt to speak of)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold))
