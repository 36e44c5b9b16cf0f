"""The registry (cadastre): divisions, enterprises, facilities, mineral rights and zones."""
