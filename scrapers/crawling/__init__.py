"""Crawl mechanics (I/O): fetching, robots.txt, sitemaps, politeness, charsets, document
verification, site platforms and the crawler that ties them together."""
