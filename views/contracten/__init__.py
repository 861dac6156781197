"""Contracten in the browser: `pages` is the list, the contract page with its timeline, and ending
or deleting a contract (blueprint "contracten"); `wizard` is the step-by-step form for a new
contract and for editing one (blueprint "wizard", under the same /contracten URLs), with
`steps` building what each of its steps shows. The rules they apply live in models.contracts
and models.werkbonnen; these modules parse the request, call the domain and render."""
