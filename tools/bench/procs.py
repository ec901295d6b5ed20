"""Process helpers shared by the benchmarks: CPU time of a process tree, and scheduling priority.

The machine these run on is shared: other jobs take its cores, so wall-clock figures move with
their load. CPU-seconds used by the measured processes move less, and a higher priority (as root)
keeps the measured processes ahead of the other jobs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its live descendants, from /proc."""
    children: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        ppid, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        children.setdefault(ppid, []).append(int(entry))
        cpu[int(entry)] = (utime + stime) / TICKS
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += cpu.get(p, 0.0)
        todo.extend(children.get(p, []))
    return total


def niced(cmd: list[str], niceness: int) -> list[str]:
    """`cmd` run at `niceness` (unchanged at 0)."""
    return ["nice", "-n", str(niceness), *cmd] if niceness else cmd


def prioritize(pid: int, niceness: int) -> None:
    """Give the scheduling group of `pid`'s session `niceness`: where the kernel groups processes
    by session (sched_autogroup_enabled), a process's own nice value only ranks it within its
    session, and the session's group competes with the other sessions' at its own nice value.
    Exits with a message when it is not allowed (a negative value needs root)."""
    if not niceness:
        return
    try:
        Path(f"/proc/{pid}/autogroup").write_text(str(niceness))
    except FileNotFoundError:
        pass  # no autogroups in this kernel: the process's own nice value is all there is
    except OSError as e:
        print(f"error: cannot set the scheduling group's niceness to {niceness} ({e.strerror}): "
              "a negative --nice needs root", file=sys.stderr)
        sys.exit(1)
