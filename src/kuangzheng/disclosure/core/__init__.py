"""Pure parts of the Features API: coordinate reference systems, query parsing, links."""
