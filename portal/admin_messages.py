"""Messages of Django's admin and auth, django-simple-history and django-axes that their
own Vietnamese catalogues lack (or hold in an old form: "Please correct the error below."
is a plural message since Django 3.1), listed so that ``makemessages`` puts them in the
portal's catalogue and ``locale/vi.tsv`` translates them. Nothing calls
:func:`catalogue`; ``tests/test_admin_language.py`` walks the admin and fails on English.
"""

from django.utils.translation import gettext_noop, ngettext


def catalogue() -> None:  # pragma: no cover - read by makemessages, never called
    # django.contrib.admin
    gettext_noop("Select this object for an action - {}")
    gettext_noop("Breadcrumbs")
    gettext_noop("Model name")
    gettext_noop("Add link")
    gettext_noop("Change or view list link")
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options.")
    gettext_noop("Error:")
    gettext_noop("Set password")
    ngettext("Please correct the error below.", "Please correct the errors below.", 1)
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    )
    gettext_noop("Disable password-based authentication")
    gettext_noop("Enable password-based authentication")
    gettext_noop("Skip to main content")
    gettext_noop("Hide counts")
    gettext_noop("Show counts")
    gettext_noop("Toggle theme (current theme: auto)")
    gettext_noop("Toggle theme (current theme: light)")
    gettext_noop("Toggle theme (current theme: dark)")
    gettext_noop("Added:")
    gettext_noop("Changed:")
    gettext_noop("Deleted:")
    gettext_noop("Forgotten your login credentials?")
    gettext_noop("Toggle navigation")
    gettext_noop("Sidebar")
    gettext_noop("Filter navigation items")
    ngettext("entry", "entries", 1)
    gettext_noop("View selected %(model)s")
    gettext_noop("In case you’ve forgotten, you are:")
    gettext_noop("Select all objects on this page for an action")
    # translated in Django's catalogue with English left in ("Các mô models trong …")
    gettext_noop("Models in the %(name)s application")
    gettext_noop("Click here to select the objects across all pages")
    gettext_noop("superuser status")
    # django.contrib.auth
    gettext_noop("Conflicting form data submitted. Please try again.")
    gettext_noop("Password-based authentication was disabled.")
    gettext_noop("Set password: %s")
    gettext_noop("Reset password")
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If "
        "disabled, they may still be able to authenticate using other backends, such as "
        "Single Sign-On or LDAP."
    )
    gettext_noop("Password-based authentication")
    gettext_noop("Enabled")
    gettext_noop("Disabled")
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password.")
    gettext_noop("Enable password-based authentication for this user by setting a password.")
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    )
    gettext_noop(
        "Enter a valid username. This value may contain only unaccented lowercase a-z and "
        "uppercase A-Z letters, numbers, and @/./+/-/_ characters."
    )
    # django (forms and models) as the admin's forms show them
    gettext_noop("Null characters are not allowed.")
    gettext_noop("Constraint “%(name)s” is violated.")
    gettext_noop("Enter a complete value.")
    gettext_noop("Enter a valid JSON.")
    gettext_noop("Value must be valid JSON.")
    gettext_noop("“%(pk)s” is not a valid value.")
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice.")
    gettext_noop("The inline value did not match the parent instance.")
    gettext_noop("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.")
    # django-simple-history
    gettext_noop("Change history: %s")
    gettext_noop("View history: %s")
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.')
    gettext_noop("You may edit it again below")
    gettext_noop("Revert %s")
    gettext_noop("View %s")
    gettext_noop("Created")
    gettext_noop("Changed")
    gettext_noop("Deleted")
    gettext_noop("Deleted %(type_name)s")
    gettext_noop("This object doesn't have a change history.")
    gettext_noop(
        "Choose a date from the list below to revert to a previous version of this object."
    )
    gettext_noop("Press the 'Revert' button below to revert to this version of the object.")
    gettext_noop("Press the 'Change History' button below to edit the history.")
    gettext_noop("Revert %(verbose_name)s")
    gettext_noop("View %(verbose_name)s")
    gettext_noop("Object")
    gettext_noop("Date/time")
    gettext_noop("Comment")
    gettext_noop("Changed by")
    gettext_noop("Change reason")
    gettext_noop("Changes")
    gettext_noop("Close")
    gettext_noop("None")
    gettext_noop("Revert")
    gettext_noop("Change History")
    # django-axes
    gettext_noop("Access Attempt")
    gettext_noop("Access lock out")
    gettext_noop("Account locked: too many login attempts. Please try again later.")
    gettext_noop("Attempt Remaining")
    gettext_noop("Attempt Time")
    gettext_noop("Clean up expired attempts")
    gettext_noop("Expires At")
    gettext_noop("Failed Logins")
    gettext_noop("Form Data")
    gettext_noop("GET Data")
    gettext_noop("HTTP Accept")
    gettext_noop("IP Address")
    gettext_noop("Locked Out")
    gettext_noop("Logout Time")
    gettext_noop("Meta Data")
    gettext_noop("Not set")
    gettext_noop("POST Data")
    gettext_noop("Path")
    gettext_noop("Session key hash (sha256)")
    gettext_noop("The time when access attempt expires and is no longer valid.")
    gettext_noop("User Agent")
    gettext_noop("Username")
    gettext_noop("access attempt expiration")
    gettext_noop("access attempt expirations")
    gettext_noop("access attempt")
    gettext_noop("access attempts")
    gettext_noop("access failure")
    gettext_noop("access failures")
    gettext_noop("access log")
    gettext_noop("access logs")
