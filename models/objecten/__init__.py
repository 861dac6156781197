"""Objecten: where the work happens and what it is done on. A klant's own address is where the
invoice goes; the work happens at its werkadressen (a housing corporation has hundreds), and the
installations serviced there (cv-ketels, brandblussers, liften: objecten) are registered per
werkadres, with the service history inspections and warranty claims ask for.

A layer between stamdata and contracts: it may import models.common, models.db and
models.stamdata; contracts (which cover werkadressen and objecten) and werkbonnen (which are done
at a werkadres, on objecten) import from here, never the other way round.
"""
