#!/usr/bin/python3
"""measure.py OUT CMD [ARG...]: run CMD (with this process's stdin, stdout
and stderr), then write to OUT one line "WALL USER SYS MAXRSS": the wall
seconds from its start to its exit, its user and system CPU seconds (every
thread, getrusage), both to the microsecond, and its peak RSS in KiB.
Exits with CMD's status. (/usr/bin/time prints hundredths of a second: at
10,000 people a run takes 0.01-0.02 s, and a ratio of two such figures
was 0.50 or 1.00 by rounding alone.)"""
import resource
import subprocess
import sys
import time


def main():
    out, cmd = sys.argv[1], sys.argv[2:]
    t0 = time.monotonic()
    rc = subprocess.run(cmd).returncode
    wall = time.monotonic() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w") as f:
        f.write("%.6f %.6f %.6f %d\n" % (wall, ru.ru_utime, ru.ru_stime,
                                         ru.ru_maxrss))
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main())
