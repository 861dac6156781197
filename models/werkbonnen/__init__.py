"""Werkbonnen: the tables (`tables`: Werkbon, GenerationRun, the statuses), their numbers
(`numbers`), the pure generation plan (`plan`: which werkbonnen a contract owes, what an edit
changes), the one writer of generated werkbonnen (`materialise`: the sweep and the inserts),
what a changed contract does to its werkbonnen (`replan`: the one edit-and-replan function;
`contract_end`: ending and deleting), a person's change to a werkbon (`service`) and the list's
pages (`pager`). May import models.common, models.db, models.schedule, models.stamdata and
models.contracts; never models.sla, which builds on werkbonnen."""
