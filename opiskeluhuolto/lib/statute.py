"""Does a legal basis name the section of law? (LAW.md L-22-2, L-20-7: a disclosure on a
statutory basis carries the section reference.)

Hand-written: no library reads Finnish, Swedish or English legal citations, and what is
needed is small: a number joined to a section sign or a section word ("25 §", "§ 25",
"25 a §", "25 pykälä", "section 25", "art. 15", "15 artikla"). An act's name or number
alone ("Lastensuojelulaki", "417/2007") names no section.
"""

from __future__ import annotations

import re

_SECTION = re.compile(
    r"""
      \d+\s*[a-z]?\s*(?:§|pykälä|pyk\.)                          # 25 §, 25 a §, 25 pykälä
    | §\s*\d+                                                    # § 25
    | \b(?:section|sect\.|paragraf|article|artikla|artikel|art\.?)\s*\d+  # section 25, art. 15
    | \d+\s*(?:artikla|artikel|art\.)                            # 15 artikla
    """,
    re.IGNORECASE | re.VERBOSE,
)


def names_a_section(reference: str) -> bool:
    """True when `reference` cites a section (or a GDPR article) by its number."""
    return bool(_SECTION.search(reference or ""))
