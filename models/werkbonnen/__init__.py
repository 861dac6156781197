"""Werkbonnen: the tables (`tables`: Werkbon, GenerationRun, the statuses), their numbers
(`numbers`), the pure generation plan (`plan`: which werkbonnen a contract owes, what an edit
changes), the one writer of generated werkbonnen (`materialise`: the sweep and the inserts),
what a changed contract does to its werkbonnen (`replan`: the one edit-and-replan function,
and an object's status change; `contract_end`: ending and deleting), a person's change to a
werkbon (`service`), the list's pages (`pager`) and the werkadres and objecten of many
werkbonnen at once (`objecten`). May import models.common, models.db, models.schedule,
models.stamdata, models.objecten and models.contracts; never models.sla, which builds on
werkbonnen."""
