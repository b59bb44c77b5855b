"""Test support written from the spec, not from the engine: a brute-force oracle,
a DIMACS reader and generators of random catalogs."""
