"""Verbs of the application (load the catalog, configure a design, ...), free of HTTP.

Views translate a request into one call here and the result back into a response.
"""
