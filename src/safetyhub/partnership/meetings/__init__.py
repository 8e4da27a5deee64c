"""Assemblies and partnership meetings: invitations, attendance, agenda, minutes, decisions."""
