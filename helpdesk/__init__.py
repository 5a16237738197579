"""The helpdesk's tools in the admin site: find a user, check a caller, unlock,
remove enrollments, enrollment coverage, and reminders to enrol."""
