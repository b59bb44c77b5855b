"""The speed-ups: valid domains as `reference.py` defines them, in fewer solver calls.

`search.Fast` is the one entry point (the same `valid_domains(values)` and
`alternatives(values)` as `reference.Reference`); the other modules are its parts:
`lean` (the solver's CNF), `flips` + `clause_flips` + `table_flips` (every valid single
change of a design), `witnesses` (designs kept from earlier queries) and `circuit`
(a compiled d-DNNF). Each module's docstring keeps its measurement. Nothing is
imported here, so importing one part does not load the others.
"""
