"""Early warning: indicators, alerts and their explanations."""
