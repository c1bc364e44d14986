"""Accounts: sign-up, sign-in and sign-out, as pages and as the JSON API."""
