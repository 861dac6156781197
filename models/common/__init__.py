"""Pure helpers every domain package uses: the field rules shared by forms and the API
(`validation`: the one date range, control characters, JSON types, klant and medewerker fields)
and Dutch dates (`dutch_dates`). Pure: they import nothing from models, flask, peewee, redis or
rq, and never read the clock."""
