"""Mobilkod: one-time codes sent by SMS to the user's mobile phone."""
