"""
Django settings for the test-suite: the project's settings, with a fast password hasher.

Django's default PBKDF2 hasher spends a million rounds (about two seconds here) on each
password it sets or checks; tests create users and log in with Basic authentication over and
over, and nothing they check depends on the hash's strength. Used by pytest (setup.cfg) and
by the manage.py, runserver and Celery worker processes the tests start.
"""

from igny8_core.settings import *  # noqa: F401,F403 - the project's settings, unchanged

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
