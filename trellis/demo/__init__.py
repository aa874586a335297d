"""Synthetic demo data (`manage.py seed_demo`) and its sign-ins (`manage.py demo_signins`)."""
