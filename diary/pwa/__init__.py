"""The installable app: service worker, web app manifest, the offline and outbox pages."""
