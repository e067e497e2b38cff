"""`pelican.plugins.blogroll`: the namespace name Pelican looks plugins up by.

The code lives in the top-level `blogroll` package (plugins/blogroll/, where
the site layout keeps it, and `python -m blogroll` for maintainers); this
module makes `PLUGINS = ["blogroll"]` find it once installed, without
PLUGIN_PATHS. `pelican/` and `pelican/plugins/` have no __init__.py: they are
portions of Pelican's namespace, not packages of ours.
"""

from blogroll import register

__all__ = ["register"]
