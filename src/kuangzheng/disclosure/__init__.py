"""Public disclosure: the OGC API – Features service over the registry's public layers."""
