"""Public notices (公告 / 公示): one board every domain publishes to and withdraws from; the portal page and the Atom feed read it."""
