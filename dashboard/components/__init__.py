"""Layout builders shared by the pages (Dash components, no SQL)."""
