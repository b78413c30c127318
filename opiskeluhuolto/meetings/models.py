"""Communal welfare: groups, meetings, agendas, minutes, the welfare plan, goals."""
