"""ASB Case Review (Community Trigger): applications, threshold check, review, figures."""
