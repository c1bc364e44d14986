"""`make bench`: our speed against a bare Flask floor, on PostgreSQL with gunicorn and wrk."""
