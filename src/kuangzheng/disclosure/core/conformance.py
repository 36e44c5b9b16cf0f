"""The conformance classes the service implements."""

PART1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
PART2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/"
PART3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf/"

CLASSES = [
    PART1 + "core",
    PART1 + "oas30",
    PART1 + "html",
    PART1 + "geojson",
    PART2 + "crs",
    PART3 + "queryables",
    PART3 + "queryables-query-parameters",
    PART3 + "filter",
    PART3 + "features-filter",
    CQL2 + "cql2-text",
    CQL2 + "basic-cql2",
    CQL2 + "advanced-comparison-operators",
]
