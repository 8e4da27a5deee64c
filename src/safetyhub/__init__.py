"""SafetyHub: a multi-agency Community Safety Partnership platform."""

__version__ = "0.1.0"
