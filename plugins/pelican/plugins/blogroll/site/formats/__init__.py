"""Output formats other than HTML pages: Atom, OPML, sitemap and robots.txt, the search index."""
