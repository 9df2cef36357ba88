"""Build-time pipeline of the reference geography (data/geo).

Run by `passnum geo build` or `python -m dashboard.geo.build`; the running app only reads the
artefacts it writes, so nothing here is imported at run time; from the rest of `dashboard` it uses
only the pure domain (the column contract of territoires.csv).
"""
