"""Facturatie: what a contract invoices, per termijn. The pure termijn maths (`termijnen`:
periods, invoicing days, pro rata, indexation, exact cents, credits), the form rules
(`input`, pure), the tables (`tables`: a contract's billing terms and its factuurtermijnen),
the one writer of termijnen (`materialise`: the worker's sweep, insert-or-ignore on one key
per contract and period, and the reconciliation that turns a change after invoicing into a
correction termijn) and what people do with them (`service`: edit the terms, list, mark
gefactureerd, export). Above werkbonnen: may import every models package below it."""
