"""Individual welfare: referrals, consents, cases, expert groups."""
