"""HJ 212-2017 without Django: frames, CRC, data segments, replies, split packets, the pollutant code
table, aggregation and the alarm rules. Everything here is a pure function of its input."""
