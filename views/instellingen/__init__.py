"""Instellingen, for the beheerder only: `pages` (blueprint "instellingen": users, feestdagen
and sluitingsdagen, the system status), `lijsten` (blueprint "lijsten": the settings lists
contracts choose from, whose rules are models.contracts.settings_lists), `sla` (blueprint
"sla": werktijden and the SLA-beleid) and `koppelingen` (blueprint "koppelingen": API-tokens
and webhooks)."""
