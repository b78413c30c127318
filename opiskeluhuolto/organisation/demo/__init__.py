"""Demo data for the organisation: two providers modelled on the seeds, people in every role.

Sedu-like multi-campus vocational provider (seed 003) and Etu-Töölön lukio
(seed 000). Names from Faker fi_FI; identity codes are synthetic, from the
temporary range 900–999, so none can belong to a real person.

The shared cast (who signs in, the seeders' context, contact details) is in `cast`; the
providers, institutions, campuses and calendars in `places`; the staff in `staff`; the
students, groups and guardians in `students`; the organisations around Sedu and a
municipal provider in `partners`; a second provider of Sedu's county in `regional`.
"""

from __future__ import annotations

from .cast import DemoContext
from .partners import seed_partners
from .places import seed_places
from .regional import seed_neighbour
from .staff import seed_staff
from .students import seed_students


def seed(ctx: DemoContext) -> None:
    """In this order: the seeders draw names from one Faker, and later ones find the
    earlier ones' rows."""
    county = seed_places(ctx)
    supervisor = seed_staff(ctx)
    seed_students(ctx, supervisor)
    seed_partners(ctx, county)
    seed_neighbour(ctx, county)
