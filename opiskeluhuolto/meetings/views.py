"""Views: thin; policies from opiskeluhuolto.access.policies."""
