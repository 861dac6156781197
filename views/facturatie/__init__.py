"""Facturatie: the Te factureren page (termijnen due, totals, mark gefactureerd, CSV) and a
contract's billing terms with their live preview (`pages`). The API's termijnen live in
views/api/termijnen.py."""
