"""Forecaster: scenarios for Russia-DPRK trade against the $1B-a-year target."""

__version__ = "0.1.0"
