"""The service directory in Open Referral (HSDS) terms; see README.md for the choices made."""
