"""Pure functions: DataFrame + options → plotly figure dicts (no Dash, no SQL)."""
