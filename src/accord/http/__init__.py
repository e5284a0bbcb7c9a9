"""Request code the web pages and the API share: the unit of work, who is calling, error responses.

A neutral surface module: `accord.api` and `accord.web` both import it and never each other.
"""
