"""Case conferences: MARAC, community MARAC and complex-case panels."""
