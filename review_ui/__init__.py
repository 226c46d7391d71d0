"""The officer's web UI: server-rendered pages over the review queue (FastAPI + Jinja2).

Imports `adwatch` (core) only, never `crawler` or `scoring`. Start it with `adwatch serve`.
"""
