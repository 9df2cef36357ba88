"""Build-time pipeline of the reference geography (data/geo).

Run by `passnum geo build` or `python -m dashboard.geo.build`; the running app only reads the
artefacts it writes, so nothing here is imported at run time and nothing else of `dashboard` is
imported from here.
"""
