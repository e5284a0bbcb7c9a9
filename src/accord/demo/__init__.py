"""The demo workspace `make run` and `accord demo` load: data and loader kept out of the domains.

It sits above the domains (it calls their services to build clients, cases, offers and clocks) and
below the surfaces; `workspace` loads it, `cases` and `offers` hold what it writes.
"""

from accord.demo.workspace import DEMO_OWNER, load_demo, reset_demo_login

__all__ = ["DEMO_OWNER", "load_demo", "reset_demo_login"]
