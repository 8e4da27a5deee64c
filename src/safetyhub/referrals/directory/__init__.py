"""The service directory in Open Referral (HSDS) terms."""
