"""Where batch work runs: ``local`` (this process, one item after another) or ``ray`` (a Ray
cluster, one model per worker). Both write the same lines in the same order, so a run on Ray can
be checked against a plain one line by line.

``batch`` holds what both share (reading claim rows, the output line of a judgement or a report);
``ray`` holds everything that imports Ray, which is an optional extra (``sourcecheck[ray]``).
"""

ENGINES = ("local", "ray")

__all__ = ["ENGINES"]
