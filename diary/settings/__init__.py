"""The settings page: the account, and what this phone does (notifications)."""
