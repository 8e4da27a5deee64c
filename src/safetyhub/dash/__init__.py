"""The DASH risk checklist (SafeLives) and MARAC referrals for domestic abuse."""
