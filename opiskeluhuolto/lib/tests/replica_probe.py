"""Run by test_replica_streaming.py in a process of its own, with DATABASE_URL pointing at a
primary and DATABASE_REPLICA_URL at its streaming replica (both started by the test).
Builds the test cast on the primary, asks the dashboard as the principal, and prints one
JSON line of what went where."""

from __future__ import annotations

import json
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opiskeluhuolto.settings")


def _writes(queries) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "TRUNCATE")
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(verbs)]


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from opiskeluhuolto.lib import replica
    from opiskeluhuolto.organisation import actions
    from opiskeluhuolto.organisation.models import Institution, Role
    from opiskeluhuolto.testing.cast import build
    from opiskeluhuolto.testing.world import TEST_SETTINGS

    setup_test_environment()
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)
    primary, standby = connections["default"], connections[replica.REPLICA]

    def caught_up() -> None:
        with primary.cursor() as c:
            c.execute("SELECT pg_current_wal_lsn()")
            lsn = c.fetchone()[0]
        for _ in range(500):
            with standby.cursor() as c:
                c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if c.fetchone()[0]:
                    return
            time.sleep(0.01)
        raise RuntimeError("the replica did not catch up")

    def dashboard(client) -> tuple[str, list, list]:
        cache.clear()  # the figures and scopes are cached: every read here goes to a database
        with CaptureQueriesContext(primary) as on_primary, CaptureQueriesContext(standby) as on_rep:
            page = client.get(reverse("insights:dashboard"))
        assert page.status_code == 200, page.status_code
        return (
            page.content.decode(),
            list(on_primary.captured_queries),
            list(on_rep.captured_queries),
        )

    out: dict = {}
    with standby.cursor() as c:
        c.execute("SELECT pg_is_in_recovery()")
        out["standby_in_recovery"] = c.fetchone()[0]
    today = timezone.localdate()
    with CaptureQueriesContext(standby) as all_on_replica:
        cast = build(today)
        caught_up()
        client = Client()
        client.force_login(cast.rehtori)
        _page, on_primary, on_rep = dashboard(client)
        out["dashboard"] = {"primary": len(on_primary), "replica": len(on_rep)}
        out["dashboard_replica_sql"] = [q["sql"][:80] for q in on_rep[:3]]

        # The replica stops replaying: whatever the primary takes now, the replica lacks.
        with standby.cursor() as c:
            c.execute("SELECT pg_wal_replay_pause()")
        try:
            school = Institution.objects.create(
                provider=cast.provider,
                name="Replikan lukio",
                slug="replikan-lukio",
                level=Institution.Level.UPPER_SECONDARY,
                municipality="Helsinki",
            )
            actions.assign_role(
                cast.rehtori,
                role=Role.PRINCIPAL,
                provider=cast.provider,
                institution=school,
                valid_from=today,
            )
            stale, _p, on_rep = dashboard(client)
            out["stale_read"] = {"from_replica": len(on_rep), "sees_new": school.name in stale}
            # A write request by the person: the response pins them to the primary.
            posted = client.post(reverse("set_language"), {"language": "fi", "next": "/"})
            out["pin_cookie"] = replica.PIN_COOKIE in posted.cookies
            fresh, on_primary, on_rep = dashboard(client)
            out["after_write"] = {
                "primary": len(on_primary),
                "replica": len(on_rep),
                "sees_new": school.name in fresh,
            }
        finally:
            with standby.cursor() as c:
                c.execute("SELECT pg_wal_replay_resume()")
    out["writes_on_replica"] = _writes(all_on_replica.captured_queries)
    print("REPLICA-PROBE " + json.dumps(out))


if __name__ == "__main__":
    main()
