"""Pelican settings for the published site (CI deploy)."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("SITEURL", "https://docsdu.net")
RELATIVE_URLS = False
