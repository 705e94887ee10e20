"""Pure geography: coordinate systems and distances (no cms imports, no Flask)."""
