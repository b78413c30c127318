"""The surveys results page against the stored-counts floor, alternately, on a kept database.

    .venv/bin/python bench/results_floor.py --db oh_mine_bench [--cold] [--repeat 9]

Why: `bench_surveys.py` rebuilds its database on every run (minutes); this times the page
of the newest released survey of a database it kept (`--keep`) in one process, so that two
commits can be compared in the same minutes on the same data (run it from each checkout
with the project's Python). Signs in `bench-kuraattori` with the test client as the
benchmark does, renders `surveys:results` overall and `?by=campus` once, then `--repeat`
times alternately the page and the benchmark's `STORED_*` query; prints the medians, the
page's CPU in this process (`time.process_time`) and the load average. `--cold`: every view
after a write the access token's triggers see (the numbers computed again, as after a
change), which needs access migration 0004's triggers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["REQUIRE_STAFF_MFA"] = "false"

from common import STORED_CAMPUS, STORED_OVERALL, setup, use_database  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", default="oh_surveys_bench", help="kept by bench_surveys.py --keep")
    p.add_argument("--repeat", type=int, default=9)
    p.add_argument("--cold", action="store_true")
    args = p.parse_args()
    use_database(args.db)
    setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.surveys.models import Survey

    survey = Survey.objects.filter(released=True).order_by("-pk").first()
    assert survey is not None, "no released survey: run bench_surveys.py --keep first"
    client = Client()
    client.force_login(User.objects.get(username="bench-kuraattori"))
    url = reverse("surveys:results", args=[survey.pk])
    print("load average", Path("/proc/loadavg").read_text().strip(), "cold" if args.cold else "")
    views = (("overall", url, STORED_OVERALL), ("campus", url + "?by=campus", STORED_CAMPUS))
    for name, path, sql in views:
        client.get(path, HTTP_HOST="127.0.0.1")
        page, cpu, floor = [], [], []
        for _ in range(args.repeat):
            if args.cold:
                with connection.cursor() as c:
                    c.execute("UPDATE surveys_resultcount SET n = n WHERE false")
            started, cpu_started = time.perf_counter(), time.process_time()
            assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 200
            page.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            started = time.perf_counter()
            with connection.cursor() as c:
                c.execute(sql, [survey.pk])
                c.fetchall()
            floor.append(time.perf_counter() - started)
        p_ms, f_ms = statistics.median(page) * 1000, statistics.median(floor) * 1000
        print(
            f"{name:8} page {p_ms:.1f} ms (min {min(page) * 1000:.1f}), CPU "
            f"{statistics.median(cpu) * 1000:.1f} ms | stored counts {f_ms:.1f} ms "
            f"(min {min(floor) * 1000:.1f}) | ratio {p_ms / f_ms:.2f}"
        )
    print("load average", Path("/proc/loadavg").read_text().strip())


if __name__ == "__main__":
    main()
