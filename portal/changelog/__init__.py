"""A project's change history: who changed what and when, with old and new values (issue 15).

The entries are written by the domain's services and the admin (audit/changes.py); this
package only reads them, for the project's coordinators (and the platform admin).
"""
