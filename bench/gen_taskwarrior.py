#!/usr/bin/env python3
"""Generate a Taskwarrior 2.6 data directory and taskrc of a given size.

    python3 bench/gen_taskwarrior.py N DIR [--seed S]

Writes DIR/taskrc and DIR/data/pending.data with N pending tasks (projects, tags, priorities,
due dates around today, non-ASCII text). One task, "Kestrel-7 handover" (priority H, +next,
long overdue), has the highest urgency, so it is first in the `next` report: the marker the
harness waits for. Reproducible from the seed (the uuids too).
"""
import argparse
import os
import random
import time
import uuid

WORDS = ["Send", "Review", "Translate", "Draft", "Finalise", "Invoice", "Chase", "Deploy"]
OBJ = ["quarterly report", "revised quote", "glossary", "brochure (JA→EN)", "website copy",
       "server migration plan", "見積書", "Pflichtenheft", "apresentação", "release notes"]
PROJECTS = ["kanda", "sakura", "brandt", "nortec", "infosol", "aurora", "mistral"]
TAGS = ["mail", "call", "billing", "writing", "ops", "urgent"]


def esc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def task_line(rnd, desc, now, **extra):
    u = uuid.UUID(int=rnd.getrandbits(128), version=4)
    entry = now - rnd.randint(1, 400) * 86400
    fields = {"description": desc, "entry": str(entry), "modified": str(entry),
              "status": "pending", "uuid": str(u)}
    fields.update({k: str(v) for k, v in extra.items()})
    return "[" + " ".join(f'{k}:"{esc(v)}"' for k, v in sorted(fields.items())) + "]"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("dir")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    now = int(time.time())
    data = os.path.join(os.path.abspath(a.dir), "data")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(a.dir, "taskrc"), "w") as f:
        f.write(f"data.location={data}\nconfirmation=off\nnews.version=2.6.0\n"
                "verbose=blank,header,footnote,label,new-id,affected,edit,special,project,"
                "sync,unwait\ngc=on\n")
    with open(os.path.join(data, "pending.data"), "w") as f:
        f.write(task_line(rnd, "Kestrel-7 handover", now, priority="H", tags="next",
                          due=now - 3000 * 86400, project="kanda") + "\n")
        for _ in range(a.n - 1):
            extra = {"project": rnd.choice(PROJECTS)}
            if rnd.random() < 0.6:
                extra["due"] = now + rnd.randint(-60, 120) * 86400
            if rnd.random() < 0.3:
                extra["priority"] = rnd.choice("HML")
            if rnd.random() < 0.5:
                extra["tags"] = rnd.choice(TAGS)
            desc = f"{rnd.choice(WORDS)} {rnd.choice(OBJ)} {rnd.randint(1, 9999)}"
            f.write(task_line(rnd, desc, now, **extra) + "\n")
    for name in ["completed.data", "undo.data", "backlog.data"]:
        open(os.path.join(data, name), "w").close()
    print(f"{a.dir}: {a.n} pending tasks")


if __name__ == "__main__":
    main()
