"""Reads of the events app, one module per subject: visibility (what a user may see),
registrations, statistics and calendar_feeds. Import from the module itself."""
