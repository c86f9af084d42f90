"""Opens terreng's event logs in pm4py and prints what it read, as JSON, for tests/eventlog.rs.

Usage: pm4py_check.py LOG.xes LOG.json
Prints {"traces": n, "events": {case id: number of events}, "ocel_events": n,
"ocel_objects": n, "ocel_relations": n}.
"""

import contextlib
import io
import json
import sys

import pm4py


def main():
    xes, ocel = sys.argv[1], sys.argv[2]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        df = pm4py.read_xes(xes)
        log = pm4py.convert_to_event_log(df)
        o = pm4py.read_ocel2_json(ocel)
    out = {
        "traces": len(log),
        "events": {t.attributes["concept:name"]: len(t) for t in log},
        "ocel_events": len(o.events),
        "ocel_objects": len(o.objects),
        "ocel_relations": len(o.relations),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
