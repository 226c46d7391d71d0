"""Monitoring: aggregate figures for a period, SVG charts, and the yearly report.

Order of use: `figures` queries the database into plain dataclasses, `charts` draws them, `report`
puts both into the Dutch yearly report (HTML, PDF, CSV). Only aggregates leave this package: no ad
text, names, numbers or images.
"""
