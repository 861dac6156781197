"""Stamdata and company settings: klanten and medewerkers (`klanten`, `medewerkers`, saved through
`records`), the users who log in and their API tokens (`users`), the settings tables contracts
and werkbonnen choose from (`instellingen`: werktypen, prioriteiten, contracttypen,
contractvoorwaarden, SLA-beleid, feestdagen, sluitingsdagen) with the values every installation
starts with (`seeds`), and the reader that turns the feestdagen and sluitingsdagen settings into
the calendar the schedule engine consults (`calendar_store`). May import models.common,
models.db and models.schedule; never contracts, werkbonnen or sla, which build on it."""
