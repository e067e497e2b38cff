"""Output formats other than HTML pages: Atom, OPML, sitemap and robots.txt, the search index;
xmltext, the escaping and clearing every one of them (and the HTML templates) writes text through."""
