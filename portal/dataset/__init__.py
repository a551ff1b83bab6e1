"""Generated, deterministic volumes of realistic data for load tests (``manage.py make_dataset``)."""
