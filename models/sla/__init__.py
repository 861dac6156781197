"""SLA: the targets per prioriteit and the company's werktijden (`tables`), the clocks
(`clock`, pure: when a response or resolution target runs out, how a werkbon stands against
it) and the storingen service (`service`: a reported fault becomes a werkbon with its
deadlines; the state of each clock for lists and the API). The top of the domain: may import
every other models package, and none of them imports it."""
