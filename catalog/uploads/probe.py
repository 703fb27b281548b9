"""Entry point of the upload sandbox's child process: its resource limits first, then the decoder.

The limits come from UPLOAD_PROBE_LIMITS ("address space bytes,CPU seconds,output file bytes") and are
set before numpy, libsndfile or any byte of the upload is touched; the parent adds a wall-clock timeout.
Setting them here rather than between fork and exec in the parent keeps the parent safe to call from a
threaded web server.
"""

from __future__ import annotations

import os
import resource
import sys


def _limit() -> None:
    memory, cpu, output = (int(v) for v in os.environ["UPLOAD_PROBE_LIMITS"].split(","))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


if __name__ == "__main__":
    _limit()
    from catalog.uploads.decode import main

    sys.exit(main(sys.argv[1:]))
