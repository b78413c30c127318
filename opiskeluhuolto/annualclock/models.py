"""Annual clocks (vuosikello) and their recurring items."""
