"""The terugkerend schema, pure: from an RRULE and its day-off policies to the dates werkbonnen
fall on, and everything a planner sees of it. `rrule` parses and checks the RFC 5545 text;
`rule_dates` expands a rule's own dates; `definition` says what a Schedule is and validates it;
`expand` applies the holiday and weekend policies (the public API: `occurrences`,
`occurrences_between`, `occurrences_and_next`); `holiday_calendar` knows the Dutch public
holidays; `describe` writes the Dutch sentence; `recurrence_form` and `form` map the planner's
form fields to a Schedule and back; `preview` is what the preview panels show. Everything here
is pure: it imports only models.common (and dateutil, holidays), never flask, peewee, redis or
rq, and takes `today` as an argument. The preview, the wizard, the API and the worker all call
these same functions, so what a planner sees is what the worker makes."""
