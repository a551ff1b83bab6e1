"""Who viewed personal data: a project's access log for its coordinators (audit.models.PersonalDataAccess)."""
