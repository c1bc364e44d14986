"""The care team: invitations, links and scopes, comments, the audit trail, the dashboard."""
