"""Maintainer tooling (`python -m pelican.plugins.blogroll …`): check, add, try, OPML import/export, the deploy
decision. Not part of the build: the pipeline never imports it."""
