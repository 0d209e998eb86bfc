#!/usr/bin/env python3
"""Generate a calcurse data directory of a given size (for side-by-side measurements).

    python3 bench/gen_calcurse.py N DIR [--seed S] [--anchor YYYY-MM-DD]

N appointments spread over ±1 year around the anchor (today by default), N/10 events and N/10
todos. One todo, priority 1 (listed first), reads "Kestrel-7 handover": the marker the harness
waits for. Reproducible from the seed.
"""
import argparse
import datetime as dt
import os
import random

WORDS = ["Call", "Review", "Meeting with", "Deliver", "Translate", "Invoice", "Visit",
         "Lunch with", "Check in with", "Send quote to"]
WHO = ["Kanda Trading", "Sakura Research", "Brandt GmbH", "Nortec Logística", "InfoSol",
       "Zoë Martin", "Søren Holm", "佐藤さん", "Aurora Labs", "Mistral Media"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("n", type=int)
    p.add_argument("dir")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--anchor", default=None)
    a = p.parse_args()
    rnd = random.Random(a.seed)
    anchor = dt.date.fromisoformat(a.anchor) if a.anchor else dt.date.today()
    os.makedirs(a.dir, exist_ok=True)
    lines = []
    for _ in range(a.n):
        d = anchor + dt.timedelta(days=rnd.randint(-365, 365))
        h = rnd.randint(7, 19)
        m = rnd.choice([0, 15, 30, 45])
        start = dt.datetime(d.year, d.month, d.day, h, m)
        end = start + dt.timedelta(minutes=rnd.choice([15, 30, 60, 90, 120]))
        text = f"{rnd.choice(WORDS)} {rnd.choice(WHO)} #{rnd.randint(1, 999)}"
        lines.append((start, f"{start:%m/%d/%Y @ %H:%M} -> {end:%m/%d/%Y @ %H:%M} |{text}"))
    for _ in range(a.n // 10):
        d = anchor + dt.timedelta(days=rnd.randint(-365, 365))
        text = f"{rnd.choice(WORDS)} {rnd.choice(WHO)} (all day)"
        lines.append((dt.datetime(d.year, d.month, d.day), f"{d:%m/%d/%Y} [1] {text}"))
    lines.sort(key=lambda x: x[0])
    with open(os.path.join(a.dir, "apts"), "w") as f:
        for _, line in lines:
            f.write(line + "\n")
    with open(os.path.join(a.dir, "todo"), "w") as f:
        f.write("[1] Kestrel-7 handover\n")
        for i in range(a.n // 10):
            f.write(f"[{rnd.randint(2, 9)}] {rnd.choice(WORDS)} {rnd.choice(WHO)} item {i}\n")
    print(f"{a.dir}: {a.n} appointments, {a.n // 10} events, {a.n // 10 + 1} todos")


if __name__ == "__main__":
    main()
