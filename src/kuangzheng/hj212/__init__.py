"""Online pollutant monitoring: an HJ 212-2017 receiver, monitoring points tied to facilities, their
time series, and the exceedance and data-quality alarms computed from them."""
