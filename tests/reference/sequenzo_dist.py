"""Distance matrices computed by Sequenzo, for tests/sequence.rs to compare with terreng's.

Reads a JSON request on stdin: {"ids": [...], "alphabet": [...], "seqs": [[state, ...], ...],
"runs": [{"method": "OM", "sm": "CONSTANT", "norm": "none"}, ...]} and writes
{"matrices": [[[...], ...], ...]} on stdout, one full matrix per run, rows in the order of "ids".

Sequences of unequal length are padded with NaN, and the padding is then set to 0 in the
sequence table, which Sequenzo reads as "no state" (its sequence length counts the cells > 0).
That is only right for costs that do not depend on the data (CONSTANT, LCS): Sequenzo keeps
the padding as a state in its alphabet, so transition-rate costs are compared on sequences of
equal length only.
"""

import contextlib
import io
import json
import sys

import numpy as np
import pandas as pd
from sequenzo import SequenceData, get_distance_matrix


def main():
    req = json.load(sys.stdin)
    seqs = req["seqs"]
    width = max(len(s) for s in seqs)
    cols = [f"t{i + 1}" for i in range(width)]
    rows = [s + [np.nan] * (width - len(s)) for s in seqs]
    df = pd.DataFrame(rows, columns=cols)
    df.insert(0, "id", req["ids"])
    out = []
    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log):
            compute(req, df, cols, seqs, width, out)
    except Exception:
        sys.stderr.write(log.getvalue())
        raise
    json.dump({"matrices": out}, sys.stdout)


def compute(req, df, cols, seqs, width, out):
    if True:
        sd = SequenceData(df, time=cols, states=req["alphabet"], id_col="id", void=None)
        if any(len(s) < width for s in seqs):
            pad = len(req["alphabet"]) + 1
            sd.seqdata = sd.seqdata.where(sd.seqdata != pad, 0)
        for run in req["runs"]:
            kw = {k: v for k, v in run.items() if v is not None}
            m = get_distance_matrix(sd, **kw)
            out.append(np.asarray(m, dtype=float).tolist())


if __name__ == "__main__":
    main()
